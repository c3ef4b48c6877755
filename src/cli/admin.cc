#include "cli/admin.h"

#include <termios.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

#include "base/clock.h"
#include "engine/engine.h"
#include "identity/password.h"
#include "identity/staff_book.h"
#include "server/data_dir_lock.h"
#include "store/sqlite/sqlite_store.h"

namespace qb::cli {
namespace {

constexpr size_t kMaxPasswordChars = 64;

std::string StripLineEnd(std::string line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return line;
}

// Reads one line from the terminal with echo off.
std::optional<std::string> Prompt(const char* question, std::istream& in, std::ostream& err) {
  err << question << std::flush;
  termios saved{};
  const bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
  if (tty) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  const bool ok = static_cast<bool>(std::getline(in, line));
  if (tty) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  err << "\n";
  if (!ok) return std::nullopt;
  return StripLineEnd(std::move(line));
}

std::optional<std::string> ReadPassword(const AdminCreateOptions& options, std::istream& in,
                                        std::ostream& err) {
  std::string line;
  if (!options.password_file.empty()) {
    std::ifstream file(options.password_file);
    if (!file || !std::getline(file, line)) {
      err << "admin create: cannot read a password from " << options.password_file << "\n";
      return std::nullopt;
    }
    return StripLineEnd(std::move(line));
  }
  if (options.password_stdin) {
    if (!std::getline(in, line)) {
      err << "admin create: no password on standard input\n";
      return std::nullopt;
    }
    return StripLineEnd(std::move(line));
  }
  std::optional<std::string> first = Prompt("Password: ", in, err);
  std::optional<std::string> second = first ? Prompt("Again: ", in, err) : std::nullopt;
  if (!first || !second || *first != *second) {
    err << "admin create: the passwords differ\n";
    return std::nullopt;
  }
  return first;
}

// The console's rule (console_routes.cc): 3-32 of a-z, 0-9, '_', '.', '-', from a letter.
bool IsValidUsername(const std::string& name) {
  if (name.size() < 3 || name.size() > 32 || name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

size_t CodePoints(const std::string& text) {
  size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

}  // namespace

int RunAdminCreate(const AdminCreateOptions& options, std::istream& in, std::ostream& out,
                   std::ostream& err) {
  std::string username = options.username;
  for (char& c : username) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (!IsValidUsername(username)) {
    err << "admin create: the username must be 3-32 of a-z, 0-9, _ . -, starting with a letter\n";
    return 1;
  }
  if (options.display_name.empty() || CodePoints(options.display_name) > 64) {
    err << "admin create: the display name must be 1-64 characters\n";
    return 1;
  }
  std::optional<std::string> password = ReadPassword(options, in, err);
  if (!password) return 1;
  if (identity::CheckPasswordStrength(*password, "") != identity::PasswordStrength::kOk ||
      CodePoints(*password) > kMaxPasswordChars) {
    err << "admin create: the password needs 8-64 characters with letters and digits\n";
    return 1;
  }
  std::optional<std::string> hash = identity::HashPassword(*password);
  if (!hash) {
    err << "admin create: could not hash the password (out of memory)\n";
    return 2;
  }

  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  DataDirLock lock;
  if (std::string error = lock.Acquire(options.data_dir); !error.empty()) {
    err << "admin create: " << error << "; stop the server first\n";
    return 1;
  }
  std::unique_ptr<Store> store;
  if (Status s = OpenSqliteStore(options.data_dir, &store); !s.ok()) {
    err << "admin create: cannot open " << options.data_dir << ": " << s.ToString() << "\n";
    return 2;
  }
  SystemClock clock;
  std::unique_ptr<engine::Engine> engine;
  if (Status s =
          engine::Engine::Open(store.get(), &clock, engine::EngineOptions(), nullptr, &engine);
      !s.ok()) {
    err << "admin create: recovery failed: " << s.ToString() << "\n";
    return 2;
  }
  engine::CreateStaff command;
  command.staff.username = username;
  command.staff.display_name = options.display_name;
  command.staff.password_hash = std::move(*hash);
  command.staff.roles = static_cast<uint32_t>(identity::StaffRole::kAdmin);
  engine::Reply reply = engine->Execute(std::move(command));
  engine->Stop();
  if (reply.status != engine::ReplyStatus::kOk || reply.results.size() != 1) {
    err << "admin create: the engine refused: " << engine::ReplyStatusName(reply.status) << "\n";
    return 2;
  }
  const auto result = static_cast<identity::IdentityResult>(reply.results[0]);
  if (result == identity::IdentityResult::kStaffTaken) {
    err << "admin create: the username " << username << " is taken\n";
    return 1;
  }
  if (result != identity::IdentityResult::kOk) {
    err << "admin create: refused: " << identity::IdentityResultName(result) << "\n";
    return 1;
  }
  out << "created admin " << username << " (staff id " << reply.value << ")\n";
  return 0;
}

}  // namespace qb::cli
