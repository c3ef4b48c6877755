// Encoding of commands 76 and 77; the grammar is in coupon_code_command.h.
#include "engine/coupon_code_command.h"

#include <utility>

#include "engine/coupon_code_command_codec.h"

namespace qb::engine {

bool EncodeCouponCodeCommand(const Command& command, ByteWriter* writer) {
  if (const auto* c = std::get_if<CreateCouponCodes>(&command)) {
    writer->U64(c->staff_id);
    writer->U64(c->template_id);
    writer->U32(c->count);
  } else if (const auto* c = std::get_if<RedeemCouponCode>(&command)) {
    writer->U64(c->customer_id);
    writer->U64(c->batch_id);
    writer->U32(c->index);
    writer->LengthPrefixed(c->device_hash);
  } else {
    return false;
  }
  return true;
}

bool DecodeCouponCodeCommand(CommandType type, ByteReader* reader, Command* command) {
  if (type == CommandType::kCreateCouponCodes) {
    CreateCouponCodes c;
    c.staff_id = reader->U64();
    c.template_id = reader->U64();
    c.count = reader->U32();
    *command = c;
    return reader->ok();
  }
  if (type == CommandType::kRedeemCouponCode) {
    RedeemCouponCode c;
    c.customer_id = reader->U64();
    c.batch_id = reader->U64();
    c.index = reader->U32();
    c.device_hash = std::string(reader->LengthPrefixed());
    *command = std::move(c);
    return reader->ok();
  }
  return false;
}

}  // namespace qb::engine
