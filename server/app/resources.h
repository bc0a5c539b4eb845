#pragma once

// Registers the SQL and web resources compiled into the static server
// library (a linker drops them otherwise). Call once before using them.
void initSanayicinResources();
