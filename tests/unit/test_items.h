// Test helper shared by the archive tests: an article made into a batch item.
#pragma once

#include <catch2/catch.hpp>

#include "newsarc/archive.h"
#include "newsarc/prepare.h"

namespace newsarc::testing {

// A batch item of `a`, prepared (the test fails when it cannot be).
inline BatchItem PreparedItem(const Preparer& p, Article a) {
  auto prepared = p.Prepare(std::move(a));
  REQUIRE(prepared.ok());
  BatchItem item;
  item.input = prepared->article.input;
  item.prepared = std::move(prepared.value());
  return item;
}

}  // namespace newsarc::testing
