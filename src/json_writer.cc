#include "json_writer.h"

#include <cmath>
#include <cstdio>

namespace newsarc {

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
          *out += buf;
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

void JsonObject::Key(std::string_view key) {
  if (out_.size() > 1) out_.push_back(',');
  AppendJsonString(key, &out_);
  out_.push_back(':');
}

JsonObject& JsonObject::Str(std::string_view key, std::string_view value) {
  Key(key);
  AppendJsonString(value, &out_);
  return *this;
}

JsonObject& JsonObject::StrOrNull(std::string_view key, std::string_view value) {
  return value.empty() ? Null(key) : Str(key, value);
}

JsonObject& JsonObject::Int(std::string_view key, uint64_t value) {
  Key(key);
  out_ += std::to_string(value);
  return *this;
}

JsonObject& JsonObject::Num(std::string_view key, double value) {
  if (!std::isfinite(value)) return Null(key);
  Key(key);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", value);
  out_ += buf;
  return *this;
}

JsonObject& JsonObject::NumOrNull(std::string_view key, std::optional<double> value) {
  return value ? Num(key, *value) : Null(key);
}

JsonObject& JsonObject::Null(std::string_view key) {
  Key(key);
  out_ += "null";
  return *this;
}

JsonObject& JsonObject::Raw(std::string_view key, std::string_view json) {
  Key(key);
  out_ += json;
  return *this;
}

std::string JsonObject::Finish() {
  out_.push_back('}');
  return std::move(out_);
}

}  // namespace newsarc
