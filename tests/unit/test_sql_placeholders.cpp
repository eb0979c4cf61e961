// Rewriting of the shared SQL text's $N placeholders into SQLite's ?N.
#include <doctest/doctest.h>

#include "storage/sqlite/placeholders.hpp"

using tt::storage::sqlite::rewrite_placeholders;

TEST_CASE("placeholders: $N becomes ?N, everything else is kept") {
  CHECK(rewrite_placeholders("SELECT id FROM bags WHERE code = $1") == "SELECT id FROM bags WHERE code = ?1");
  CHECK(rewrite_placeholders("INSERT INTO t (a, b) VALUES ($1, $12)") == "INSERT INTO t (a, b) VALUES (?1, ?12)");
  CHECK(rewrite_placeholders("UPDATE t SET a = $2 WHERE b = $1 OR c = $2") ==
        "UPDATE t SET a = ?2 WHERE b = ?1 OR c = ?2");
  CHECK(rewrite_placeholders("SELECT 1") == "SELECT 1");
  CHECK(rewrite_placeholders("") == "");
}

TEST_CASE("placeholders: string literals, quoted names and comments are left alone") {
  CHECK(rewrite_placeholders("SELECT '$1' , $1") == "SELECT '$1' , ?1");
  CHECK(rewrite_placeholders("SELECT 'it''s $2', $2") == "SELECT 'it''s $2', ?2");
  CHECK(rewrite_placeholders("SELECT \"col$1\" FROM t WHERE x = $1") == "SELECT \"col$1\" FROM t WHERE x = ?1");
  CHECK(rewrite_placeholders("SELECT $1 -- costs $2\n, $3") == "SELECT ?1 -- costs $2\n, ?3");
  CHECK(rewrite_placeholders("SELECT /* $1 */ $2") == "SELECT /* $1 */ ?2");
}

TEST_CASE("placeholders: a dollar sign without digits stays") {
  CHECK(rewrite_placeholders("SELECT $ , $a, $1") == "SELECT $ , $a, ?1");
  CHECK(rewrite_placeholders("SELECT $") == "SELECT $");
}

TEST_CASE("placeholders: unterminated quotes and comments do not run past the end") {
  CHECK(rewrite_placeholders("SELECT '$1") == "SELECT '$1");
  CHECK(rewrite_placeholders("SELECT /* $1") == "SELECT /* $1");
  CHECK(rewrite_placeholders("SELECT $1 --") == "SELECT ?1 --");
}
