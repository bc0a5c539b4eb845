# shellcheck shell=bash
# clock-step-forward  c1's wall clock steps 1 h ahead (libfaketime, the real-
#                     time clock only) and stays there; c0 and c2 keep the
#                     right time
fault_clock_step_forward_setup() { clock_fake_c1; }
fault_clock_step_forward_inject() { clock_step clock-step-forward +3600; }
