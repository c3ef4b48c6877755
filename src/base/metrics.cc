// The text format written here (Prometheus exposition format 0.0.4), per family:
//
//   # HELP <name> <help, with \ and newline escaped>
//   # TYPE <name> counter|gauge|histogram
//   <name>{<label>="<value, with \ " and newline escaped>",...} <value>
//
// A histogram writes, per series, one <name>_bucket line per bound with the cumulative count
// and its `le` label last (the final one le="+Inf", equal to the count), then <name>_sum and
// <name>_count.
#include "base/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "base/assert.h"

namespace qb::metrics {

Histogram::Histogram(std::vector<double> upper_bounds)
    : upper_bounds_(std::move(upper_bounds)),
      bucket_counts_(new std::atomic<uint64_t>[upper_bounds_.size() + 1]) {
  for (size_t i = 0; i < upper_bounds_.size(); ++i) {
    QB_ASSERT(std::isfinite(upper_bounds_[i]));
    QB_ASSERT(i == 0 || upper_bounds_[i - 1] < upper_bounds_[i]);
  }
  for (size_t i = 0; i <= upper_bounds_.size(); ++i) {
    bucket_counts_[i].store(0, std::memory_order_relaxed);
  }
}

void Histogram::Observe(double value) {
  // lower_bound finds the first bound >= value, which is the bucket whose `le` holds it. NaN
  // compares false with everything, so it is sent to +Inf explicitly.
  size_t bucket = upper_bounds_.size();
  if (!std::isnan(value)) {
    bucket =
        std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value) - upper_bounds_.begin();
  }
  bucket_counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot snapshot;
  snapshot.bucket_counts.reserve(upper_bounds_.size() + 1);
  for (size_t i = 0; i <= upper_bounds_.size(); ++i) {
    snapshot.bucket_counts.push_back(bucket_counts_[i].load(std::memory_order_relaxed));
  }
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  snapshot.count = count_.load(std::memory_order_relaxed);
  return snapshot;
}

struct Registry::Series {
  std::unique_ptr<Counter> counter;
  std::unique_ptr<Gauge> gauge;
  std::unique_ptr<Histogram> histogram;
};

struct Registry::Family {
  std::string help;
  Type type;
  std::vector<double> upper_bounds;  // Histograms only.
  // Keyed by labels sorted by name, so the order a caller lists them in does not matter.
  std::map<Labels, Series> series;
};

namespace {

bool IsValidName(std::string_view name, bool allow_colon) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (allow_colon && c == ':') || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

void AppendEscaped(std::string& out, std::string_view text, bool escape_quote) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && escape_quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

void AppendDouble(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    char buffer[32];
    auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
    out.append(buffer, result.ptr);
  }
}

template <typename Integer>
void AppendInteger(std::string& out, Integer value) {
  char buffer[24];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out.append(buffer, result.ptr);
}

// Writes `{a="1",b="2"}`, with `le` appended last when given, or nothing for no labels.
void AppendLabels(std::string& out, const Labels& labels, const std::string* le = nullptr) {
  if (labels.empty() && le == nullptr) return;
  out += '{';
  bool first = true;
  for (const auto& [name, value] : labels) {
    if (!first) out += ',';
    first = false;
    out += name;
    out += "=\"";
    AppendEscaped(out, value, true);
    out += '"';
  }
  if (le != nullptr) {
    if (!first) out += ',';
    out += "le=\"";
    out += *le;
    out += '"';
  }
  out += '}';
}

void AppendHistogram(std::string& out, const std::string& name, const Labels& labels,
                     const Histogram& histogram) {
  Histogram::Snapshot snapshot = histogram.Read();
  const std::vector<double>& bounds = histogram.upper_bounds();
  uint64_t cumulative = 0;
  std::string le;
  for (size_t i = 0; i <= bounds.size(); ++i) {
    cumulative += snapshot.bucket_counts[i];
    le.clear();
    AppendDouble(le, i < bounds.size() ? bounds[i] : INFINITY);
    out += name;
    out += "_bucket";
    AppendLabels(out, labels, &le);
    out += ' ';
    AppendInteger(out, cumulative);
    out += '\n';
  }
  out += name;
  out += "_sum";
  AppendLabels(out, labels);
  out += ' ';
  AppendDouble(out, snapshot.sum);
  out += '\n';
  // The count is rendered as the +Inf bucket's total rather than snapshot.count, so the two
  // agree even when an observation lands between reading the buckets and the count.
  out += name;
  out += "_count";
  AppendLabels(out, labels);
  out += ' ';
  AppendInteger(out, cumulative);
  out += '\n';
}

const char* TypeName(int type) {
  static constexpr const char* kNames[] = {"counter", "gauge", "histogram"};
  return kNames[type];
}

}  // namespace

Registry::Registry() = default;
Registry::~Registry() = default;

Registry::Series& Registry::FindSeries(std::string_view name, std::string_view help, Type type,
                                       const std::vector<double>* upper_bounds, Labels labels) {
  QB_ASSERT(IsValidName(name, true));
  std::sort(labels.begin(), labels.end());
  for (size_t i = 0; i < labels.size(); ++i) {
    const std::string& label = labels[i].first;
    QB_ASSERT(IsValidName(label, false));
    QB_ASSERT(label.rfind("__", 0) != 0);
    QB_ASSERT(i == 0 || labels[i - 1].first != label);
    QB_ASSERT(type != Type::kHistogram || label != "le");
  }
  auto it = families_.find(name);
  if (it == families_.end()) {
    auto family = std::make_unique<Family>();
    family->help = help;
    family->type = type;
    if (upper_bounds != nullptr) family->upper_bounds = *upper_bounds;
    it = families_.emplace(std::string(name), std::move(family)).first;
  }
  Family& family = *it->second;
  QB_ASSERT(family.type == type);
  QB_ASSERT(upper_bounds == nullptr || family.upper_bounds == *upper_bounds);
  return family.series[std::move(labels)];
}

Counter& Registry::GetCounter(std::string_view name, std::string_view help, Labels labels) {
  std::lock_guard lock(mutex_);
  Series& series = FindSeries(name, help, Type::kCounter, nullptr, std::move(labels));
  if (!series.counter) series.counter = std::make_unique<Counter>();
  return *series.counter;
}

Gauge& Registry::GetGauge(std::string_view name, std::string_view help, Labels labels) {
  std::lock_guard lock(mutex_);
  Series& series = FindSeries(name, help, Type::kGauge, nullptr, std::move(labels));
  if (!series.gauge) series.gauge = std::make_unique<Gauge>();
  return *series.gauge;
}

Histogram& Registry::GetHistogram(std::string_view name, std::string_view help,
                                  const std::vector<double>& upper_bounds, Labels labels) {
  std::lock_guard lock(mutex_);
  Series& series = FindSeries(name, help, Type::kHistogram, &upper_bounds, std::move(labels));
  if (!series.histogram) series.histogram = std::make_unique<Histogram>(upper_bounds);
  return *series.histogram;
}

void Registry::AddCollector(std::function<void(Registry&)> collector) {
  std::lock_guard lock(collectors_mutex_);
  collectors_.push_back(std::move(collector));
}

std::string Registry::RenderPrometheus() const {
  // The collectors run on a copy of the list and without mutex_ held, because they call the
  // Get* methods, which take it. const_cast is sound: every member they touch is mutable.
  std::vector<std::function<void(Registry&)>> collectors;
  {
    std::lock_guard lock(collectors_mutex_);
    collectors = collectors_;
  }
  for (const auto& collector : collectors) collector(const_cast<Registry&>(*this));

  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& [name, family] : families_) {
    out += "# HELP ";
    out += name;
    out += ' ';
    AppendEscaped(out, family->help, false);
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += TypeName(static_cast<int>(family->type));
    out += '\n';
    for (const auto& [labels, series] : family->series) {
      if (family->type == Type::kHistogram) {
        AppendHistogram(out, name, labels, *series.histogram);
        continue;
      }
      out += name;
      AppendLabels(out, labels);
      out += ' ';
      if (family->type == Type::kCounter) {
        AppendInteger(out, series.counter->Value());
      } else {
        AppendInteger(out, series.gauge->Value());
      }
      out += '\n';
    }
  }
  return out;
}

std::vector<double> LatencyBoundsSeconds() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
          0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
}

}  // namespace qb::metrics
