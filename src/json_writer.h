// JsonWriter: builds one JSON object on a line (for --json output).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace newsarc {

// Appends `s` to `out` as a JSON string literal (quotes included).
void AppendJsonString(std::string_view s, std::string* out);

class JsonObject {
 public:
  JsonObject& Str(std::string_view key, std::string_view value);
  // A string, or null when `value` is empty.
  JsonObject& StrOrNull(std::string_view key, std::string_view value);
  JsonObject& Int(std::string_view key, uint64_t value);
  JsonObject& Num(std::string_view key, double value);
  JsonObject& NumOrNull(std::string_view key, std::optional<double> value);
  JsonObject& Null(std::string_view key);
  // `json` must already be valid JSON.
  JsonObject& Raw(std::string_view key, std::string_view json);
  std::string Finish();

 private:
  void Key(std::string_view key);
  std::string out_ = "{";
};

}  // namespace newsarc
