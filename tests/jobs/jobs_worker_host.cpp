// sanayicind's own command line with one more job type, "test.effect"
// (test_job_handler.h): the tests' worker. The daemon has no such type.

#include "app/command_line.h"
#include "test_job_handler.h"

using namespace sanayicin;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    return runCommandLine(app, {{QStringLiteral("test.effect"), test::testEffectHandler()}});
}
