// Encoding of commands 55 to 61 and 81; the grammar is in marketing_command.h.
#include "engine/marketing_command.h"

#include <utility>

#include "engine/marketing_command_codec.h"
#include "marketing/config_codec.h"

namespace qb::engine {

std::string_view MarketingResultName(MarketingResult result) {
  switch (result) {
    case MarketingResult::kOk:
      return "ok";
    case MarketingResult::kInvalid:
      return "invalid";
    case MarketingResult::kStaffNotFound:
      return "staff_not_found";
    case MarketingResult::kCustomerNotFound:
      return "customer_not_found";
    case MarketingResult::kMerchantNotFound:
      return "merchant_not_found";
    case MarketingResult::kRefused:
      return "refused";
    case MarketingResult::kInsufficientFunds:
      return "insufficient_funds";
    case MarketingResult::kDuplicate:
      return "duplicate";
    case MarketingResult::kRiskDenied:
      return "risk_denied";
  }
  return "unknown";
}

void EncodeCampaignCommand(uint64_t staff_id, const marketing::Campaign& config,
                           ByteWriter* writer) {
  writer->U64(staff_id);
  marketing::EncodeCampaignConfig(config, writer);
}

void EncodeTransitionCampaign(const TransitionCampaign& c, ByteWriter* writer) {
  writer->U64(c.staff_id);
  writer->U64(c.campaign_id);
  writer->U8(static_cast<uint8_t>(c.status));
}

void EncodeFundCampaign(const FundCampaign& c, ByteWriter* writer) {
  writer->U64(c.transfer_id);
  writer->U64(c.staff_id);
  writer->U64(c.campaign_id);
  writer->U64(c.merchant_id);
  writer->I64(c.amount_fen);
}

void EncodeCreateCouponTemplate(const CreateCouponTemplate& c, ByteWriter* writer) {
  writer->U64(c.staff_id);
  marketing::EncodeCouponTemplate(c.config, writer);
}

void EncodeClaimCoupon(const ClaimCoupon& c, ByteWriter* writer) {
  writer->U64(c.customer_id);
  writer->U64(c.template_id);
  // Older records end at the template: a claim without a device is written as they were.
  if (!c.device_hash.empty()) writer->LengthPrefixed(c.device_hash);
}

void EncodeIssueCoupons(const IssueCoupons& c, ByteWriter* writer) {
  writer->U64(c.staff_id);
  writer->U64(c.template_id);
  writer->U32(static_cast<uint32_t>(c.customer_ids.size()));
  for (const uint64_t customer_id : c.customer_ids) writer->U64(customer_id);
}

void EncodeEditCustomerList(const EditCustomerList& c, ByteWriter* writer) {
  writer->U64(c.staff_id);
  writer->U8(static_cast<uint8_t>(c.op));
  writer->U32(c.list_id);
  writer->LengthPrefixed(c.name);
  writer->U32(static_cast<uint32_t>(c.customer_ids.size()));
  for (const uint64_t customer_id : c.customer_ids) writer->U64(customer_id);
}

bool DecodeCampaignCommand(ByteReader* reader, uint64_t* staff_id, marketing::Campaign* config) {
  *staff_id = reader->U64();
  return marketing::DecodeCampaignConfig(reader, config);
}

bool DecodeTransitionCampaign(ByteReader* reader, TransitionCampaign* c) {
  c->staff_id = reader->U64();
  c->campaign_id = reader->U64();
  const uint8_t status = reader->U8();
  c->status = static_cast<marketing::CampaignStatus>(status);
  return status >= static_cast<uint8_t>(marketing::CampaignStatus::kDraft) &&
         status <= static_cast<uint8_t>(marketing::CampaignStatus::kEnded);
}

bool DecodeFundCampaign(ByteReader* reader, FundCampaign* c) {
  c->transfer_id = reader->U64();
  c->staff_id = reader->U64();
  c->campaign_id = reader->U64();
  c->merchant_id = reader->U64();
  c->amount_fen = reader->I64();
  return reader->ok();
}

bool DecodeCreateCouponTemplate(ByteReader* reader, CreateCouponTemplate* c) {
  c->staff_id = reader->U64();
  return marketing::DecodeCouponTemplate(reader, &c->config);
}

bool DecodeClaimCoupon(ByteReader* reader, ClaimCoupon* c) {
  c->customer_id = reader->U64();
  c->template_id = reader->U64();
  if (reader->ok() && reader->remaining() > 0) {
    c->device_hash = std::string(reader->LengthPrefixed());
    if (c->device_hash.empty()) return false;  // Never written: one encoding per command.
  }
  return reader->ok();
}

bool DecodeIssueCoupons(ByteReader* reader, IssueCoupons* c) {
  c->staff_id = reader->U64();
  c->template_id = reader->U64();
  const uint32_t count = reader->U32();
  if (!reader->ok() || count > kMaxCouponIssuePerCommand || count > reader->remaining() / 8) {
    return false;
  }
  c->customer_ids.resize(count);
  for (uint64_t& customer_id : c->customer_ids) customer_id = reader->U64();
  return reader->ok();
}

bool DecodeEditCustomerList(ByteReader* reader, EditCustomerList* c) {
  c->staff_id = reader->U64();
  const uint8_t op = reader->U8();
  c->op = static_cast<CustomerListOp>(op);
  c->list_id = reader->U32();
  c->name = std::string(reader->LengthPrefixed());
  const uint32_t count = reader->U32();
  if (!reader->ok() || op < static_cast<uint8_t>(CustomerListOp::kCreate) ||
      op > static_cast<uint8_t>(CustomerListOp::kDelete) ||
      count > kMaxCustomerListEditPerCommand || count > reader->remaining() / 8) {
    return false;
  }
  c->customer_ids.resize(count);
  for (uint64_t& customer_id : c->customer_ids) customer_id = reader->U64();
  return reader->ok();
}

bool EncodeMarketingCommand(const Command& command, ByteWriter* writer) {
  if (const auto* c = std::get_if<CreateCampaign>(&command)) {
    EncodeCampaignCommand(c->staff_id, c->config, writer);
  } else if (const auto* c = std::get_if<UpdateCampaign>(&command)) {
    EncodeCampaignCommand(c->staff_id, c->config, writer);
  } else if (const auto* c = std::get_if<TransitionCampaign>(&command)) {
    EncodeTransitionCampaign(*c, writer);
  } else if (const auto* c = std::get_if<FundCampaign>(&command)) {
    EncodeFundCampaign(*c, writer);
  } else if (const auto* c = std::get_if<CreateCouponTemplate>(&command)) {
    EncodeCreateCouponTemplate(*c, writer);
  } else if (const auto* c = std::get_if<ClaimCoupon>(&command)) {
    EncodeClaimCoupon(*c, writer);
  } else if (const auto* c = std::get_if<IssueCoupons>(&command)) {
    EncodeIssueCoupons(*c, writer);
  } else if (const auto* c = std::get_if<EditCustomerList>(&command)) {
    EncodeEditCustomerList(*c, writer);
  } else {
    return false;
  }
  return true;
}

bool DecodeMarketingCommand(CommandType type, ByteReader* reader, Command* command) {
  switch (type) {
    case CommandType::kCreateCampaign:
    case CommandType::kUpdateCampaign: {
      uint64_t staff_id = 0;
      marketing::Campaign config;
      if (!DecodeCampaignCommand(reader, &staff_id, &config)) return false;
      if (type == CommandType::kCreateCampaign) {
        *command = CreateCampaign{staff_id, std::move(config)};
      } else {
        *command = UpdateCampaign{staff_id, std::move(config)};
      }
      return true;
    }
    case CommandType::kTransitionCampaign: {
      TransitionCampaign c;
      if (!DecodeTransitionCampaign(reader, &c)) return false;
      *command = c;
      return true;
    }
    case CommandType::kFundCampaign: {
      FundCampaign c;
      if (!DecodeFundCampaign(reader, &c)) return false;
      *command = c;
      return true;
    }
    case CommandType::kCreateCouponTemplate: {
      CreateCouponTemplate c;
      if (!DecodeCreateCouponTemplate(reader, &c)) return false;
      *command = std::move(c);
      return true;
    }
    case CommandType::kClaimCoupon: {
      ClaimCoupon c;
      if (!DecodeClaimCoupon(reader, &c)) return false;
      *command = std::move(c);
      return true;
    }
    case CommandType::kIssueCoupons: {
      IssueCoupons c;
      if (!DecodeIssueCoupons(reader, &c)) return false;
      *command = std::move(c);
      return true;
    }
    case CommandType::kEditCustomerList: {
      EditCustomerList c;
      if (!DecodeEditCustomerList(reader, &c)) return false;
      *command = std::move(c);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace qb::engine
