// A well-formed invoice request for the invoice suites to vary one field at a time.
#pragma once

#include "invoice/invoice_provider.h"

namespace qb::invoice::testing {

// 2026-11-23 10:00:00 China Standard Time (02:00 UTC).
inline constexpr int64_t kIssuedNs = 1'795'399'200'000'000'000;

inline InvoiceRequest SampleRequest(const std::string& request_id = "inv-pay-0001") {
  InvoiceRequest request;
  request.request_id = request_id;
  request.payment_id = "pay-0001";
  request.seller_name = "上海小笼包餐饮管理有限公司";
  request.seller_tax_id = "91350100M000100Y43";  // the example in GB 32100-2015
  request.buyer_title = "张三";
  request.item_name = "*餐饮服务*餐费";
  request.amount_fen = 123456;
  request.tax_rate_bp = 600;
  request.issued_ns = kIssuedNs;
  return request;
}

}  // namespace qb::invoice::testing
