#pragma once

#include "jobs/job.h"

namespace sanayicin::test {

// The tests' job type "test.effect", registered only by the tests' worker
// host (jobs_worker_host.cpp), never by sanayicind. Its payload:
//   dir      a folder for what it records
//   key      names the files below
//   hold     a file: while it exists when a run starts, the run never ends
//            (a worker to kill or stop mid-way)
//   succeed  a file: while it does not exist, the run answers Retry
// Each run appends "<job id> <attempt> <pid> <ms>" to started-<key>; a
// run that succeeds creates effect-<key> only if it is not there (the
// idempotent effect) and appends "<job id> <pid>" to runs-<key>.
sanayicin::jobs::JobHandler testEffectHandler();

} // namespace sanayicin::test
