import type { runbookChannels } from '../../shared/channels/runbooks';
import type { Services } from '../services';
import type { HandlersFor } from './types';

export function createRunbookHandlers(services: Services): HandlersFor<typeof runbookChannels> {
  const { runbooks, runner } = services;
  return {
    'runbooks.list': (input) => runbooks.catalogView(input?.lang),
    'runbooks.get': ({ id, lang }) => runbooks.runbook(id, lang),
    'runbooks.lint': (input) => runbooks.lint(input?.paths),
    'runbooks.reload': () => runbooks.reload(),
    'runbooks.settings': () => runbooks.settings(),
    'runbooks.setFolders': ({ folders }) => runbooks.setFolders(folders),
    'runbooks.suggest': ({ incidentId, lang }) => runbooks.suggest(incidentId, lang),

    'runs.start': ({ incidentId, runbookId, lang, target }) => runbooks.start(incidentId, runbookId, lang, target),
    'runs.setTarget': ({ runId, target }) => runbooks.setTarget(runId, target),
    'runs.list': ({ incidentId }) => runbooks.list(incidentId),
    'runs.get': ({ runId }) => runbooks.get(runId),
    'runs.setStep': (input) => runbooks.setStep(input),
    'runs.variables': ({ runId, stepId, phaseId }) => runbooks.prompts(runId, { stepId, phaseId }),
    'runs.setVariables': ({ runId, values }) => runbooks.setVariables(runId, values),
    'runs.runStep': (input) => runner.runStep(input, services.terminals.hostOf(input.terminalId)),
    'runs.runAll': (input) => runner.runAll(input, services.terminals.hostOf(input.terminalId)),
    'runs.preview': (input) => runner.preview(input, services.terminals.hostOf(input.terminalId)),
  };
}
