#pragma once

// DeliveredMessage moved to common/ (every layer from the writer to the
// sockets passes it on). This name stays for the upper layers' includes.
#include "protocol/delivered_message.h"
