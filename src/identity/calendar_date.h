// A civil calendar date (proleptic Gregorian), used for birth dates. Callers pass "today"
// explicitly so the identity functions stay pure and testable: nothing here reads a clock.
#pragma once

#include <compare>
#include <cstdint>

namespace qb::identity {

struct CalendarDate {
  int32_t year = 0;
  int32_t month = 0;  // 1..12
  int32_t day = 0;    // 1..31

  // Member order (year, month, day) makes the defaulted comparison chronological.
  friend auto operator<=>(const CalendarDate&, const CalendarDate&) = default;
};

inline bool IsLeapYear(int32_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

inline bool IsValidCalendarDate(const CalendarDate& date) {
  if (date.year < 1 || date.year > 9999 || date.month < 1 || date.month > 12) return false;
  static constexpr int32_t kDaysInMonth[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int32_t days = kDaysInMonth[date.month - 1];
  if (date.month == 2 && IsLeapYear(date.year)) days = 29;
  return date.day >= 1 && date.day <= days;
}

// The date `days` days after 1970-01-01 (Howard Hinnant's days-to-civil algorithm).
inline CalendarDate DateFromDays(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {static_cast<int32_t>(year), static_cast<int32_t>(month), static_cast<int32_t>(day)};
}

// The China Standard Time (UTC+8, no daylight saving) date at `unix_ns`.
inline CalendarDate ChinaDateAt(int64_t unix_ns) {
  constexpr int64_t kNsPerDay = int64_t{86'400} * 1'000'000'000;
  const int64_t shifted = unix_ns + int64_t{8 * 3'600} * 1'000'000'000;
  return DateFromDays(shifted / kNsPerDay - (shifted % kNsPerDay < 0 ? 1 : 0));
}

// YYYYMMDD, the form birth dates are kept in.
inline uint32_t PackDate(const CalendarDate& date) {
  return static_cast<uint32_t>(date.year * 10'000 + date.month * 100 + date.day);
}
inline CalendarDate UnpackDate(uint32_t yyyymmdd) {
  return {static_cast<int32_t>(yyyymmdd / 10'000), static_cast<int32_t>(yyyymmdd / 100 % 100),
          static_cast<int32_t>(yyyymmdd % 100)};
}

// Whether `yyyymmdd` is PackDate of a real date.
inline bool IsPackedDate(uint32_t yyyymmdd) {
  const CalendarDate date = UnpackDate(yyyymmdd);
  return IsValidCalendarDate(date) && PackDate(date) == yyyymmdd;
}

// Age in whole years (周岁) on `today`: one more on each birthday; one born on 29 February has
// it on 1 March in other years. Negative when `today` is before `birth`.
inline int32_t AgeOn(const CalendarDate& birth, const CalendarDate& today) {
  int32_t age = today.year - birth.year;
  if (today.month < birth.month || (today.month == birth.month && today.day < birth.day)) age--;
  return age;
}

// The age in China at `unix_ns` of someone born on `birth_date` (PackDate); -1 when it is 0
// (unknown).
inline int32_t ChinaAgeAt(uint32_t birth_date, int64_t unix_ns) {
  return birth_date == 0 ? -1 : AgeOn(UnpackDate(birth_date), ChinaDateAt(unix_ns));
}

}  // namespace qb::identity
