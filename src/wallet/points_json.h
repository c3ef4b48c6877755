// The points API's JSON (points_routes.cc): the programme ops send and read back. Field names
// follow the API (a whole percent, ISO weekdays, segment names, RFC 3339 times); the engine's
// names appear nowhere here. Private to the wallet module.
#pragma once

#include <string_view>

#include "api/errors.h"
#include "api/json_writer.h"
#include "points/program.h"

namespace qb::wallet {

// PointsProgramInput → a points programme (points/program.h): enabled, earn_points_per_yuan,
// redeem_points_per_yuan, redeem_max_percent and the multipliers (name, multiplier,
// categories, weekdays 1 = Monday .. 7 = Sunday, segments, starts_at, ends_at; empty lists
// and null times mean any). Shape only; the engine judges the values (POINTS_INVALID_PROGRAM).
api::ApiResult<points::Program> ParsePointsProgramInput(std::string_view body);
// The programme's fields as PointsProgramInput has them.
void AddPointsProgramFields(const points::Program& program, api::JsonObjectWriter* json);

}  // namespace qb::wallet
