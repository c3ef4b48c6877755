// `qianbao admin create`: makes a staff account with the admin role directly through an engine
// on the data directory, for the first administrator (who then creates everyone else in the
// console). The server must not be running: the command takes the data directory's lock.
#pragma once

#include <istream>
#include <ostream>
#include <string>

namespace qb::cli {

struct AdminCreateOptions {
  std::string data_dir;
  std::string username;
  std::string display_name;
  std::string password_file;    // Read the password from its first line.
  bool password_stdin = false;  // Read it from the first line of standard input.
};

// Asks for the password on the terminal (twice, without echo) when neither source is given.
// Returns 0 when the account was created, 1 when it was refused (taken name, weak password,
// server running), 2 when the data directory cannot be used.
int RunAdminCreate(const AdminCreateOptions& options, std::istream& in, std::ostream& out,
                   std::ostream& err);

}  // namespace qb::cli
