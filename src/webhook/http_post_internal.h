// One HTTP/1.1 POST of a webhook, for the dispatcher's workers. Private to src/webhook.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "webhook/url_policy.h"

namespace qb::webhook::internal {

// Response bodies are read up to this size and then ignored: only the status matters, and a
// merchant's server must not be able to make us buffer megabytes.
inline constexpr uint32_t kMaxResponseBodyBytes = 4 * 1024;
inline constexpr uint32_t kMaxResponseHeaderBytes = 8 * 1024;

struct PostRequest {
  const WebhookUrl* url = nullptr;
  std::vector<std::pair<std::string, std::string>> headers;  // beyond Host, Content-Type, ...
  std::string_view body;
  int64_t timeout_ns = 0;  // for everything: resolve, connect, write and read
  bool allow_private_networks = false;
  // Polled while waiting; when it becomes true the attempt is abandoned within
  // kStopPollInterval and PostResult::abandoned is set.
  const std::atomic<bool>* stop = nullptr;
};

struct PostResult {
  int32_t http_status = 0;  // 0 when no status line was read
  std::string error;        // empty on a 2xx answer; names the step that failed otherwise
  bool abandoned = false;   // the stop flag cut the attempt short
};

// Blocks the calling thread for at most about timeout_ns. Never throws.
PostResult PostWebhook(const PostRequest& request);

}  // namespace qb::webhook::internal
