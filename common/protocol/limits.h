#pragma once

#include <QtGlobal>

namespace sanayicin::protocol {

// Fixed by the wire contract (spec "Client to server" and "Accounts").
inline constexpr int kClientMsgIdMax = 64;
inline constexpr int kBodyMax = 4000;
inline constexpr int kUsernameMin = 3;
inline constexpr int kUsernameMax = 32;
inline constexpr int kPasswordMin = 8;
inline constexpr int kPasswordMax = 128;
inline constexpr int kDisplayNameMax = 64;
inline constexpr int kTokenMaxLength = 256;

// Profile and report fields: the spec leaves their lengths to us.
inline constexpr int kBusinessNameMax = 120;
inline constexpr int kCategoryMax = 64;
inline constexpr int kCityMax = 64;
inline constexpr int kDistrictMax = 64;
inline constexpr int kDescriptionMax = 2000;
inline constexpr int kReasonMax = 1000;
inline constexpr int kSearchQueryMax = 100;

// Paging defaults and maxima (spec tables).
inline constexpr int kDirectoryLimitDefault = 20;
inline constexpr int kDirectoryLimitMax = 100;
inline constexpr int kConversationLimitDefault = 50;
inline constexpr int kConversationLimitMax = 200;
inline constexpr int kHistoryLimitDefault = 50;
inline constexpr int kHistoryLimitMax = 200;
inline constexpr int kSyncLimitDefault = 500;
inline constexpr int kSyncLimitMax = 1000;

} // namespace sanayicin::protocol
