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

}  // namespace qb::identity
