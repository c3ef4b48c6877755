// Device keys inside the engine (commands 48 to 51): binding with proof of possession, the limit
// of five keys, single-use challenges (replays, a signature over another nonce, the 2-minute
// expiry on the batch clock, another purpose or context), the lockout after five wrong
// signatures, the audit entries, the codec, and the checkpoint trailer (restart with and
// without a checkpoint keeps the state hash; a state without device keys encodes as before).
// libsodium's crypto_sign_* plays the phone.
#include <gtest/gtest.h>
#include <sodium.h>

#include <string>
#include <vector>

#include "engine/command_codec.h"
#include "engine_test_util.h"
#include "mfa/device_key_book.h"

namespace qb::engine {
namespace {

using mfa::ChallengePurpose;
using mfa::DeviceKeyResult;
using testing::CustomerEngineTest;

constexpr int64_t kSecond = 1'000'000'000;

// A phone's key pair; Sign answers a challenge as the app would.
struct Phone {
  Phone() {
    EXPECT_GE(sodium_init(), 0);
    crypto_sign_keypair(public_key, secret_key);
  }
  std::string PublicBytes() const {
    return std::string(reinterpret_cast<const char*>(public_key), sizeof public_key);
  }
  mfa::DevicePublicKey Key() const { return *mfa::DevicePublicKey::FromBytes(PublicBytes()); }
  std::string Sign(const mfa::Challenge& challenge) const {
    const std::string message = mfa::ChallengeMessage(challenge);
    unsigned char signature[crypto_sign_BYTES];
    crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), secret_key);
    char text[sodium_base64_ENCODED_LEN(crypto_sign_BYTES,
                                        sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(text, sizeof text, signature, sizeof signature,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return text;
  }
  unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
  unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
};

class DeviceKeyEngineTest : public CustomerEngineTest {
 protected:
  using CustomerEngineTest::Code;
  static uint8_t Code(DeviceKeyResult r) { return static_cast<uint8_t>(r); }

  uint64_t SignUp(const std::string& phone) {
    EXPECT_EQ(Result(IssueOtp{phone, identity::OtpPurpose::kRegister, "hash-" + phone}), 0);
    EXPECT_EQ(Result(RegisterCustomer{{phone, "hash-" + phone, "argon2", "social", ""}}), 0);
    return last_value_;
  }

  // The challenge as the engine stored it (stamped with the batch time), or an empty one.
  mfa::Challenge Stored(const mfa::ChallengeNonce& nonce) {
    mfa::Challenge stored;
    Query([&](const StateMachine& s) {
      if (const mfa::Challenge* c = s.device_keys().challenges().FindOutstanding(nonce)) {
        stored = *c;
      }
    });
    return stored;
  }

  // Issues a challenge; on success returns it as stored.
  uint8_t Issue(uint64_t customer, uint64_t device_id, ChallengePurpose purpose,
                const std::string& context, mfa::Challenge* stored) {
    const mfa::Challenge drawn = mfa::NewChallenge(device_id, purpose, clock_.NowNs(), context);
    const uint8_t result = Result(IssueDeviceChallenge{customer, drawn});
    if (result == Code(DeviceKeyResult::kOk) && stored != nullptr) *stored = Stored(drawn.nonce);
    return result;
  }

  // Binds `phone` to `customer`; returns the device id, 0 on failure (the result in *result).
  uint64_t Bind(uint64_t customer, const Phone& phone, const std::string& name = "my phone",
                uint8_t* result = nullptr) {
    mfa::Challenge challenge;
    uint8_t code = Issue(customer, 0, ChallengePurpose::kDeviceBinding,
                         mfa::DeviceKeyBook::BindingContext(customer, phone.Key()), &challenge);
    if (code == Code(DeviceKeyResult::kOk)) {
      code = Result(RegisterDeviceKey{customer, challenge.device_id, phone.PublicBytes(), name,
                                      challenge.nonce, phone.Sign(challenge)});
    }
    if (result != nullptr) *result = code;
    return code == Code(DeviceKeyResult::kOk) ? challenge.device_id : 0;
  }

  AnswerDeviceChallenge Answer(uint64_t customer, const mfa::Challenge& challenge,
                               const std::string& signature) {
    return AnswerDeviceChallenge{customer,          challenge.device_id, challenge.purpose,
                                 challenge.context, challenge.nonce,     signature};
  }

  size_t KeyCount(uint64_t customer) {
    size_t count = 0;
    Query([&](const StateMachine& s) { count = s.device_keys().KeysOf(customer).size(); });
    return count;
  }
};

TEST_F(DeviceKeyEngineTest, BindsWithProofOfPossessionUpToFiveKeys) {
  OpenEngine();
  const uint64_t alice = SignUp("13800138001");
  const uint64_t bob = SignUp("13800138002");
  std::vector<Phone> phones(6);
  std::vector<uint64_t> ids;
  for (int i = 0; i < 5; i++) ids.push_back(Bind(alice, phones[i]));
  for (uint64_t id : ids) EXPECT_NE(id, 0u);
  EXPECT_EQ(KeyCount(alice), 5u);
  uint8_t result = 0;
  EXPECT_EQ(Bind(alice, phones[5], "sixth", &result), 0u);
  EXPECT_EQ(result, Code(DeviceKeyResult::kKeyLimit));
  // Bob cannot register a key that Alice holds, nor remove Alice's.
  EXPECT_EQ(Bind(bob, phones[0], "stolen", &result), 0u);
  EXPECT_EQ(result, Code(DeviceKeyResult::kKeyTaken));
  EXPECT_EQ(Result(RemoveDeviceKey{bob, ids[0]}), Code(DeviceKeyResult::kKeyNotFound));
  EXPECT_EQ(Result(RemoveDeviceKey{alice, ids[0]}), Code(DeviceKeyResult::kOk));
  EXPECT_EQ(Result(RemoveDeviceKey{alice, ids[0]}), Code(DeviceKeyResult::kKeyNotFound));
  EXPECT_NE(Bind(alice, phones[5], "sixth"), 0u);

  // Proof of possession: a binding challenge for one key cannot register another, nor the
  // same key for another customer, and is not consumed by the attempt.
  Phone mallory;
  mfa::Challenge binding;
  ASSERT_EQ(Issue(bob, 0, ChallengePurpose::kDeviceBinding,
                  mfa::DeviceKeyBook::BindingContext(bob, phones[1].Key()), nullptr),
            Code(DeviceKeyResult::kKeyTaken));
  Phone bobs;
  ASSERT_EQ(Issue(bob, 0, ChallengePurpose::kDeviceBinding,
                  mfa::DeviceKeyBook::BindingContext(bob, bobs.Key()), &binding),
            Code(DeviceKeyResult::kOk));
  EXPECT_EQ(Result(RegisterDeviceKey{bob, binding.device_id, mallory.PublicBytes(), "m",
                                     binding.nonce, mallory.Sign(binding)}),
            Code(DeviceKeyResult::kUnknownChallenge));
  const uint64_t carol = SignUp("13800138003");
  EXPECT_EQ(Result(RegisterDeviceKey{carol, binding.device_id, bobs.PublicBytes(), "m",
                                     binding.nonce, bobs.Sign(binding)}),
            Code(DeviceKeyResult::kUnknownChallenge));
  // A signature by another key over the right challenge is a bad signature, and spends it.
  EXPECT_EQ(Result(RegisterDeviceKey{bob, binding.device_id, bobs.PublicBytes(), "b", binding.nonce,
                                     mallory.Sign(binding)}),
            Code(DeviceKeyResult::kBadSignature));
  EXPECT_EQ(Result(RegisterDeviceKey{bob, binding.device_id, bobs.PublicBytes(), "b", binding.nonce,
                                     bobs.Sign(binding)}),
            Code(DeviceKeyResult::kReplayed));
  EXPECT_EQ(KeyCount(bob), 0u);
}

TEST_F(DeviceKeyEngineTest, ChallengesAreSingleUseAndBoundToTheirNonce) {
  OpenEngine();
  const uint64_t alice = SignUp("13800138001");
  Phone phone;
  const uint64_t device = Bind(alice, phone);
  ASSERT_NE(device, 0u);
  mfa::Challenge login;
  ASSERT_EQ(Issue(alice, device, ChallengePurpose::kLogin, "", &login), 0);
  const std::string signature = phone.Sign(login);
  EXPECT_EQ(Result(Answer(alice, login, signature)), Code(DeviceKeyResult::kOk));
  EXPECT_EQ(Result(Answer(alice, login, signature)), Code(DeviceKeyResult::kReplayed));

  // A valid signature over another nonce does not answer this one: wrong, counted, spent.
  mfa::Challenge first;
  mfa::Challenge second;
  ASSERT_EQ(Issue(alice, device, ChallengePurpose::kLogin, "", &first), 0);
  ASSERT_EQ(Issue(alice, device, ChallengePurpose::kLogin, "", &second), 0);
  EXPECT_EQ(Result(Answer(alice, first, phone.Sign(second))), Code(DeviceKeyResult::kBadSignature));
  EXPECT_EQ(last_value_, 4u);
  EXPECT_EQ(Result(Answer(alice, first, phone.Sign(first))), Code(DeviceKeyResult::kReplayed));
  EXPECT_EQ(Result(Answer(alice, second, phone.Sign(second))), Code(DeviceKeyResult::kOk));
  // Malformed signatures consume nothing.
  mfa::Challenge third;
  ASSERT_EQ(Issue(alice, device, ChallengePurpose::kLogin, "", &third), 0);
  EXPECT_EQ(Result(Answer(alice, third, "not-base64url")),
            Code(DeviceKeyResult::kMalformedSignature));
  EXPECT_EQ(Result(Answer(alice, third, phone.Sign(third))), Code(DeviceKeyResult::kOk));
  // A nonce never issued.
  mfa::Challenge unknown = mfa::NewChallenge(device, ChallengePurpose::kLogin, clock_.NowNs(), "");
  EXPECT_EQ(Result(Answer(alice, unknown, phone.Sign(unknown))),
            Code(DeviceKeyResult::kUnknownChallenge));
}

TEST_F(DeviceKeyEngineTest, ChallengesExpireAfterTwoMinutesOfBatchTime) {
  OpenEngine();
  const uint64_t alice = SignUp("13800138001");
  Phone phone;
  const uint64_t device = Bind(alice, phone);
  mfa::Challenge early;
  mfa::Challenge late;
  ASSERT_EQ(Issue(alice, device, ChallengePurpose::kLogin, "", &early), 0);
  ASSERT_EQ(Issue(alice, device, ChallengePurpose::kLogin, "", &late), 0);
  EXPECT_EQ(late.expires_ns - late.issued_ns, 120 * kSecond);
  clock_.Advance(late.expires_ns - clock_.NowNs() - 1);  // 1 ns before the end: still valid
  EXPECT_EQ(Result(Answer(alice, early, phone.Sign(early))), Code(DeviceKeyResult::kOk));
  clock_.Advance(1);
  EXPECT_EQ(Result(Answer(alice, late, phone.Sign(late))), Code(DeviceKeyResult::kExpired));
  // Expired is not counted as a wrong signature, and the challenge is gone.
  EXPECT_EQ(Result(Answer(alice, late, phone.Sign(late))),
            Code(DeviceKeyResult::kUnknownChallenge));
}

TEST_F(DeviceKeyEngineTest, ASignatureOnlyAnswersItsPurposeContextDeviceAndCustomer) {
  OpenEngine();
  const uint64_t alice = SignUp("13800138001");
  const uint64_t bob = SignUp("13800138002");
  Phone phone;
  Phone bobs_phone;
  const uint64_t device = Bind(alice, phone);
  const uint64_t bobs_device = Bind(bob, bobs_phone);
  const std::string context = "payment:42:10000";
  mfa::Challenge payment;
  ASSERT_EQ(Issue(alice, device, ChallengePurpose::kPaymentConfirmation, context, &payment), 0);
  const std::string signature = phone.Sign(payment);
  // Nothing of these consumes the challenge.
  AnswerDeviceChallenge as_login = Answer(alice, payment, signature);
  as_login.purpose = ChallengePurpose::kLogin;
  as_login.context.clear();
  EXPECT_EQ(Result(as_login), Code(DeviceKeyResult::kUnknownChallenge));
  AnswerDeviceChallenge other_amount = Answer(alice, payment, signature);
  other_amount.context = "payment:42:99999";
  EXPECT_EQ(Result(other_amount), Code(DeviceKeyResult::kUnknownChallenge));
  EXPECT_EQ(Result(Answer(bob, payment, signature)), Code(DeviceKeyResult::kKeyNotFound));
  AnswerDeviceChallenge bobs_device_answer = Answer(bob, payment, signature);
  bobs_device_answer.device_id = bobs_device;
  EXPECT_EQ(Result(bobs_device_answer), Code(DeviceKeyResult::kUnknownChallenge));
  AnswerDeviceChallenge binding = Answer(alice, payment, signature);
  binding.purpose = ChallengePurpose::kDeviceBinding;
  EXPECT_EQ(Result(binding), Code(DeviceKeyResult::kInvalid));
  EXPECT_EQ(Result(Answer(alice, payment, signature)), Code(DeviceKeyResult::kOk));
  // Challenges for another customer's device are never issued.
  EXPECT_EQ(Issue(bob, device, ChallengePurpose::kLogin, "", nullptr),
            Code(DeviceKeyResult::kKeyNotFound));
  EXPECT_EQ(Issue(0, device, ChallengePurpose::kLogin, "", nullptr),
            Code(DeviceKeyResult::kCustomerNotFound));
}

TEST_F(DeviceKeyEngineTest, FiveWrongSignaturesSuspendTheKeyUntilItIsBoundAgain) {
  OpenEngine();
  const uint64_t alice = SignUp("13800138001");
  Phone phone;
  Phone thief;
  const uint64_t device = Bind(alice, phone);
  for (uint64_t left = 4; left >= 1; left--) {
    mfa::Challenge challenge;
    ASSERT_EQ(Issue(alice, device, ChallengePurpose::kLogin, "", &challenge), 0);
    EXPECT_EQ(Result(Answer(alice, challenge, thief.Sign(challenge))),
              Code(DeviceKeyResult::kBadSignature));
    EXPECT_EQ(last_value_, left);
  }
  mfa::Challenge last;
  mfa::Challenge pending;
  ASSERT_EQ(Issue(alice, device, ChallengePurpose::kLogin, "", &pending), 0);
  ASSERT_EQ(Issue(alice, device, ChallengePurpose::kLogin, "", &last), 0);
  EXPECT_EQ(Result(Answer(alice, last, thief.Sign(last))), Code(DeviceKeyResult::kSuspendedNow));
  // Suspended: even the right signature over a challenge issued before is refused.
  EXPECT_EQ(Result(Answer(alice, pending, phone.Sign(pending))),
            Code(DeviceKeyResult::kKeySuspended));
  EXPECT_EQ(Issue(alice, device, ChallengePurpose::kLogin, "", nullptr),
            Code(DeviceKeyResult::kKeySuspended));
  Restart();
  EXPECT_EQ(Issue(alice, device, ChallengePurpose::kLogin, "", nullptr),
            Code(DeviceKeyResult::kKeySuspended));
  // Binding the same key again lifts it, under a new device id.
  const uint64_t rebound = Bind(alice, phone, "again");
  ASSERT_NE(rebound, 0u);
  EXPECT_NE(rebound, device);
  EXPECT_EQ(KeyCount(alice), 1u);
  mfa::Challenge after;
  ASSERT_EQ(Issue(alice, rebound, ChallengePurpose::kLogin, "", &after), 0);
  EXPECT_EQ(Result(Answer(alice, after, phone.Sign(after))), Code(DeviceKeyResult::kOk));
}

TEST_F(DeviceKeyEngineTest, KeysAndOutstandingChallengesSurviveRestarts) {
  for (bool checkpoint : {false, true}) {
    SCOPED_TRACE(checkpoint ? "with a checkpoint" : "journal only");
    EngineOptions options;
    options.checkpoint_on_stop = checkpoint;
    OpenStore();
    OpenEngine(options);
    const uint64_t alice = SignUp(checkpoint ? "13800138002" : "13800138001");
    Phone phone;
    const uint64_t device = Bind(alice, phone, "华为 Mate");
    ASSERT_NE(device, 0u);
    mfa::Challenge outstanding;
    mfa::Challenge used;
    ASSERT_EQ(Issue(alice, device, ChallengePurpose::kSecurityChange, "", &outstanding), 0);
    ASSERT_EQ(Issue(alice, device, ChallengePurpose::kLogin, "", &used), 0);
    ASSERT_EQ(Result(Answer(alice, used, phone.Sign(used))), Code(DeviceKeyResult::kOk));
    const Digest before = Hash();
    Restart();
    EXPECT_EQ(Hash(), before);
    EXPECT_EQ(Result(Answer(alice, used, phone.Sign(used))), Code(DeviceKeyResult::kReplayed));
    EXPECT_EQ(Result(Answer(alice, outstanding, phone.Sign(outstanding))),
              Code(DeviceKeyResult::kOk));
    std::string name;
    Query([&](const StateMachine& s) { name = s.device_keys().Find(device)->name; });
    EXPECT_EQ(name, "华为 Mate");
    StopEngine();
  }
}

TEST(DeviceKeyStateTest, AStateWithoutDeviceKeysEncodesAsBeforeAndTrailersRoundTrip) {
  StateMachine state;
  int64_t now_ns = int64_t{1'795'312'800} * kSecond;
  auto run = [&](const Command& command) {
    state.BeginBatch(now_ns, nullptr);
    Reply reply = state.Apply(command);
    state.EndBatch();
    now_ns += kSecond;
    return reply;
  };
  run(IssueOtp{"13800138001", identity::OtpPurpose::kRegister, "otp"});
  const uint64_t alice =
      run(RegisterCustomer{{"13800138001", "otp", "argon2", "social", ""}}).value;
  std::string without;
  state.Serialize(&without);
  const Digest hash_without = state.StateHash();
  // Registering a customer leaves no device-key trailer: the bytes end where they did.
  StateMachine reloaded;
  ASSERT_TRUE(reloaded.Deserialize(without));
  EXPECT_TRUE(reloaded.device_keys().empty());
  EXPECT_EQ(reloaded.StateHash(), hash_without);

  Phone phone;
  mfa::Challenge drawn = mfa::NewChallenge(0, ChallengePurpose::kDeviceBinding, now_ns,
                                           mfa::DeviceKeyBook::BindingContext(alice, phone.Key()));
  ASSERT_EQ(run(IssueDeviceChallenge{alice, drawn}).results[0], 0);
  const mfa::Challenge stored = *state.device_keys().challenges().FindOutstanding(drawn.nonce);
  ASSERT_EQ(run(RegisterDeviceKey{alice, stored.device_id, phone.PublicBytes(), "p", stored.nonce,
                                  phone.Sign(stored)})
                .results[0],
            0);
  std::string with;
  state.Serialize(&with);
  EXPECT_NE(state.StateHash(), hash_without);
  StateMachine again;
  ASSERT_TRUE(again.Deserialize(with));
  EXPECT_EQ(again.StateHash(), state.StateHash());
  std::string reencoded;
  again.Serialize(&reencoded);
  EXPECT_EQ(reencoded, with);
  // Truncated or extended trailers are refused.
  StateMachine broken;
  EXPECT_FALSE(broken.Deserialize(std::string_view(with).substr(0, with.size() - 1)));
  EXPECT_FALSE(broken.Deserialize(with + std::string(1, '\0')));

  mfa::DeviceKeyBook book;
  std::string book_bytes;
  state.device_keys().Serialize(&book_bytes);
  ASSERT_TRUE(book.Deserialize(book_bytes));
  for (size_t cut = 0; cut < book_bytes.size(); cut += 7) {
    EXPECT_FALSE(book.Deserialize(std::string_view(book_bytes).substr(0, cut))) << cut;
    EXPECT_TRUE(book.empty());
  }
}

TEST(DeviceKeyAuditTest, BindRemoveBadSignatureLockoutAndLogInAreRecorded) {
  StateMachine state;
  int64_t now_ns = int64_t{1'795'312'800} * kSecond;
  std::vector<audit::AuditEntry> entries;
  auto run = [&](const Command& command) {
    Projection projection;
    state.BeginBatch(now_ns, &projection);
    Reply reply = state.Apply(command);
    state.EndBatch();
    now_ns += kSecond;
    for (auto& entry : projection.audit_entries) entries.push_back(std::move(entry));
    return reply;
  };
  run(IssueOtp{"13800138001", identity::OtpPurpose::kRegister, "otp"});
  const uint64_t alice =
      run(RegisterCustomer{{"13800138001", "otp", "argon2", "social", ""}}).value;
  Phone phone;
  Phone thief;
  auto issue = [&](uint64_t device, ChallengePurpose purpose, std::string context) {
    const mfa::Challenge drawn = mfa::NewChallenge(device, purpose, now_ns, context);
    EXPECT_EQ(run(IssueDeviceChallenge{alice, drawn}).results[0], 0);
    return *state.device_keys().challenges().FindOutstanding(drawn.nonce);
  };
  auto answer = [&](const mfa::Challenge& c, const Phone& signer) {
    return run(AnswerDeviceChallenge{alice, c.device_id, c.purpose, c.context, c.nonce,
                                     signer.Sign(c)})
        .results[0];
  };
  entries.clear();
  const mfa::Challenge binding = issue(0, ChallengePurpose::kDeviceBinding,
                                       mfa::DeviceKeyBook::BindingContext(alice, phone.Key()));
  ASSERT_EQ(run(RegisterDeviceKey{alice, binding.device_id, phone.PublicBytes(), "p", binding.nonce,
                                  phone.Sign(binding)})
                .results[0],
            0);
  const uint64_t device = binding.device_id;
  ASSERT_EQ(answer(issue(device, ChallengePurpose::kLogin, ""), phone), 0);
  for (int i = 0; i < 5; i++) answer(issue(device, ChallengePurpose::kLogin, ""), thief);
  ASSERT_EQ(run(RemoveDeviceKey{alice, device}).results[0], 0);
  std::vector<std::string> actions;
  for (const auto& entry : entries) {
    actions.push_back(entry.event.action);
    EXPECT_EQ(entry.event.target, "customer:" + std::to_string(alice));
    EXPECT_EQ(entry.event.actor_id, alice);
  }
  std::vector<std::string> expected = {"customer.device_key_bind", "customer.device_login"};
  for (int i = 0; i < 5; i++) expected.push_back("customer.device_key_bad_signature");
  expected.push_back("customer.device_key_locked");
  expected.push_back("customer.device_key_remove");
  EXPECT_EQ(actions, expected);
  EXPECT_EQ(entries[1].event.detail, "{\"device_id\":" + std::to_string(device) + "}");
  EXPECT_EQ(entries[2].event.detail,
            "{\"device_id\":" + std::to_string(device) + ",\"purpose\":\"login\"}");
}

TEST(DeviceKeyCommandCodecTest, CommandsRoundTripAndBadPurposesAreRefused) {
  mfa::ChallengeNonce nonce{};
  for (size_t i = 0; i < nonce.size(); i++) nonce[i] = static_cast<uint8_t>(i * 7);
  const mfa::Challenge challenge = mfa::MakeChallenge(
      nonce, 9, ChallengePurpose::kPaymentConfirmation, 1'700'000'000'000'000'000, "payment:1:2");
  const std::vector<Command> commands = {
      IssueDeviceChallenge{7, challenge},
      RegisterDeviceKey{7, 9, std::string(32, 'k'), "name", nonce, "sig"},
      AnswerDeviceChallenge{7, 9, ChallengePurpose::kSecurityChange, "ctx", nonce, "sig"},
      RemoveDeviceKey{7, 9}};
  std::string payload;
  for (const Command& command : commands) EncodeCommand(command, &payload);
  std::vector<Command> decoded;
  ASSERT_TRUE(DecodeCommands(payload, 4, &decoded));
  ASSERT_EQ(decoded.size(), 4u);
  EXPECT_EQ(TypeOf(decoded[0]), CommandType::kIssueDeviceChallenge);
  EXPECT_EQ(static_cast<int>(CommandType::kIssueDeviceChallenge), 48);
  EXPECT_EQ(static_cast<int>(CommandType::kRemoveDeviceKey), 51);
  EXPECT_EQ(std::get<IssueDeviceChallenge>(decoded[0]).challenge, challenge);
  const auto& reg = std::get<RegisterDeviceKey>(decoded[1]);
  EXPECT_EQ(reg.public_key, std::string(32, 'k'));
  EXPECT_EQ(reg.name, "name");
  EXPECT_EQ(reg.nonce, nonce);
  const auto& answer = std::get<AnswerDeviceChallenge>(decoded[2]);
  EXPECT_EQ(answer.purpose, ChallengePurpose::kSecurityChange);
  EXPECT_EQ(answer.context, "ctx");
  EXPECT_EQ(answer.signature, "sig");
  EXPECT_EQ(std::get<RemoveDeviceKey>(decoded[3]).device_id, 9u);
  EXPECT_EQ(CommandTypeName(CommandType::kAnswerDeviceChallenge), "answer_device_challenge");

  // Purpose 0 or 5 in an AnswerDeviceChallenge body: refused.
  for (uint8_t purpose : {uint8_t{0}, uint8_t{5}}) {
    std::string bad;
    EncodeCommand(commands[2], &bad);
    bad[2 + 4 + 16] = static_cast<char>(purpose);
    EXPECT_FALSE(DecodeCommands(bad, 1, &decoded)) << int{purpose};
  }
}

TEST(DeviceKeyCommandCodecTest, WebAuthnFieldsRoundTripAndOldRecordsDecodeAsEd25519) {
  mfa::ChallengeNonce nonce{};
  for (size_t i = 0; i < nonce.size(); i++) nonce[i] = static_cast<uint8_t>(i + 1);
  RegisterDeviceKey reg{7, 9, "", "name", nonce, ""};
  reg.key_kind = 1;
  reg.authenticator_data = std::string("auth\0data", 9);
  reg.client_data_json = R"({"type":"webauthn.create"})";
  reg.rp_id = "localhost";
  reg.origin = "http://localhost:8080";
  AnswerDeviceChallenge answer{7,     9,     ChallengePurpose::kPaymentConfirmation, "payment:1:2",
                               nonce, "c2ln"};
  answer.webauthn = true;
  answer.authenticator_data = "assertion";
  answer.client_data_json = R"({"type":"webauthn.get"})";
  answer.rp_id = "localhost";
  answer.origin = "http://localhost:8080";
  std::string payload;
  EncodeCommand(reg, &payload);
  EncodeCommand(answer, &payload);
  std::vector<Command> decoded;
  ASSERT_TRUE(DecodeCommands(payload, 2, &decoded));
  const auto& reg_back = std::get<RegisterDeviceKey>(decoded[0]);
  EXPECT_EQ(reg_back.key_kind, 1);
  EXPECT_EQ(reg_back.authenticator_data, reg.authenticator_data);
  EXPECT_EQ(reg_back.client_data_json, reg.client_data_json);
  EXPECT_EQ(reg_back.rp_id, "localhost");
  EXPECT_EQ(reg_back.origin, "http://localhost:8080");
  EXPECT_EQ(reg_back.name, "name");
  const auto& answer_back = std::get<AnswerDeviceChallenge>(decoded[1]);
  EXPECT_TRUE(answer_back.webauthn);
  EXPECT_EQ(answer_back.authenticator_data, "assertion");
  EXPECT_EQ(answer_back.client_data_json, answer.client_data_json);
  EXPECT_EQ(answer_back.rp_id, "localhost");
  EXPECT_EQ(answer_back.origin, "http://localhost:8080");
  EXPECT_EQ(answer_back.signature, "c2ln");

  // An Ed25519 command encodes as before WebAuthn: exactly the WebAuthn one without its tail
  // (and the tail's length), so records from before decode as Ed25519.
  RegisterDeviceKey old_reg{7, 9, "", "name", nonce, ""};
  std::string old_payload;
  EncodeCommand(old_reg, &old_payload);
  const size_t tail = 1 + 4 * 4 + reg.authenticator_data.size() + reg.client_data_json.size() +
                      reg.rp_id.size() + reg.origin.size();
  std::string webauthn_payload;
  EncodeCommand(reg, &webauthn_payload);
  ASSERT_EQ(old_payload.size() + tail, webauthn_payload.size());
  EXPECT_EQ(old_payload.substr(6), webauthn_payload.substr(6, old_payload.size() - 6));
  ASSERT_TRUE(DecodeCommands(old_payload, 1, &decoded));
  EXPECT_EQ(std::get<RegisterDeviceKey>(decoded[0]).key_kind, 0);
  EXPECT_TRUE(std::get<RegisterDeviceKey>(decoded[0]).authenticator_data.empty());
  AnswerDeviceChallenge old_answer{7, 9, ChallengePurpose::kLogin, "", nonce, "sig"};
  std::string old_answer_payload;
  EncodeCommand(old_answer, &old_answer_payload);
  ASSERT_TRUE(DecodeCommands(old_answer_payload, 1, &decoded));
  EXPECT_FALSE(std::get<AnswerDeviceChallenge>(decoded[0]).webauthn);

  // A tail whose kind byte is not 1 (0 is never written: one encoding per command) is refused,
  // and so is a truncated tail.
  for (uint8_t kind : {uint8_t{0}, uint8_t{2}}) {
    std::string bad = webauthn_payload;
    bad[old_payload.size()] = static_cast<char>(kind);
    EXPECT_FALSE(DecodeCommands(bad, 1, &decoded)) << int{kind};
  }
  std::string short_tail = webauthn_payload.substr(0, webauthn_payload.size() - 3);
  const uint32_t body = static_cast<uint32_t>(short_tail.size() - 6);
  for (int i = 0; i < 4; i++) short_tail[2 + i] = static_cast<char>((body >> (8 * i)) & 0xff);
  EXPECT_FALSE(DecodeCommands(short_tail, 1, &decoded));
}

}  // namespace
}  // namespace qb::engine
