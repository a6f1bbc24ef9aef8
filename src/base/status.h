// Status and StatusOr<T>: errors are values carrying context (config path, file:line:col, peer).
// Thread: any. Cheap to move; an ok Status holds no allocation.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace sabina {

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message)); }

  bool ok() const { return !message_.has_value(); }
  const std::string& message() const {
    static const std::string kEmpty;
    return message_ ? *message_ : kEmpty;
  }
  // Prefixes the message with context, e.g. "[edit system]" or "file:3:7".
  Status WithContext(const std::string& context) && {
    if (message_) *message_ = context + ": " + *message_;
    return std::move(*this);
  }

 private:
  explicit Status(std::string message) : message_(std::move(message)) {}
  std::optional<std::string> message_;
};

template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  StatusOr(Status status) : v_(std::move(status)) {}  // NOLINT: must not be ok

  bool ok() const { return std::holds_alternative<T>(v_); }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

#define SABINA_RETURN_IF_ERROR(expr)          \
  do {                                        \
    ::sabina::Status sabina_status_ = (expr); \
    if (!sabina_status_.ok()) return sabina_status_; \
  } while (0)

}  // namespace sabina
