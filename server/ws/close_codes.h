#pragma once

namespace sanayicin::ws {

// Close codes of the spec.
constexpr int kGoingAway = 1001;
constexpr int kUnsupportedData = 1003;
constexpr int kPolicyViolation = 1008;
constexpr int kUnauthorized = 4001;
constexpr int kForbidden = 4003; // banned, or not an administrator on the admin stream

} // namespace sanayicin::ws
