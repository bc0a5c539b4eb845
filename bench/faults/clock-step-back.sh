# shellcheck shell=bash
# clock-step-back     c1's wall clock steps 1 h back (libfaketime, the real-
#                     time clock only) and stays there; c0 and c2 keep the
#                     right time
fault_clock_step_back_setup() { clock_fake_c1; }
fault_clock_step_back_inject() { clock_step clock-step-back -3600; }
