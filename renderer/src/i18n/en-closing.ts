// The check before Resolve / Close (issue 15); ja-closing.ts has the same keys.
export const enClosing = {
  closing: {
    title: 'Not ready to {{action}}',
    intro: 'This incident still lacks:',
    gap: {
      responder: 'No responder named',
      rootCause: 'No root cause (add a note starting "Root cause:")',
      pendingSteps_one: '{{count}} runbook step not done',
      pendingSteps_other: '{{count}} runbook steps not done',
      runningCommands_one: '{{count}} command still running',
      runningCommands_other: '{{count}} commands still running',
      openTerminals_one: '{{count}} terminal open — closing ends it',
      openTerminals_other: '{{count}} terminals open — closing ends them',
      postmortem: 'Postmortem fields empty (notes starting "Resolution:", "Prevention:", "Lessons:")',
    },
    field: { resolution: 'Resolution', prevention: 'Prevention', lessons: 'Lessons' },
    more: '… and {{count}} more',
    reason: 'Why go ahead anyway?',
    goAhead: 'Go ahead anyway',
    despite: '(gone ahead with {{count}} missing: {{gaps}})',
    back: 'Go back',
  },
};
