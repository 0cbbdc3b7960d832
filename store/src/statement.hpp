#pragma once
// One SQL statement with its bindings added piece by piece, so shared clauses (a fence, a
// filter) can be bound by the function that adds them. Bound values are held by reference:
// they must outlive the statement's execution, hence no binding of temporaries.

#include <string>
#include <utility>

#include <soci/boost-optional.h>
#include <soci/soci.h>

namespace backupd::store {

class Statement {
public:
    Statement(soci::session& sql, std::string text) : statement_(sql), text_(std::move(text)) {}

    template <typename T>
    Statement& use(const T& value, const std::string& name) {
        statement_.exchange(soci::use(value, name));
        return *this;
    }
    template <typename T>
    Statement& use(const T&& value, const std::string& name) = delete;

    template <typename T>
    Statement& into(T& out) {
        statement_.exchange(soci::into(out));
        return *this;
    }

    // Executes a write; returns the number of rows it matched.
    long long run() {
        prepare();
        statement_.execute(true);
        return statement_.get_affected_rows();
    }

    // Executes a query and reads its first row into the bound variables; false when none.
    bool first() {
        prepare();
        return statement_.execute(true);
    }

    // Reads the next row; false at the end.
    bool next() { return statement_.fetch(); }

private:
    void prepare() {
        statement_.alloc();
        statement_.prepare(text_);
        statement_.define_and_bind();
    }

    soci::statement statement_;
    std::string text_;
};

}  // namespace backupd::store
