#include "simulator/ports/commandexecutor.h"

using namespace Qt::StringLiterals;

namespace antibody::sim {

CommandExecutor::CommandExecutor(World &world)
    : SimulatedExecutor(world, u"command"_s)
{
}

void CommandExecutor::run(const ActionRequest &request, Done done)
{
    const QStringList argv = listParam(request.params, u"argv"_s);
    finishAfter(Duration { 0 }, std::move(done),
        failed(u"the simulated fleet has no hosts to run commands on: [%1] was not run; drill this runbook against a "
               u"real environment, or use a catalog action the simulator models"_s.arg(argv.join(u", "_s))));
}

} // namespace antibody::sim
