// Public surface of the runbook service. Import from here, not from the modules.
export * from './model';
export { parseRunbook, sortDiagnostics, type ParseOptions } from './parser';
export { parseFenceInfo, parseDuration, classifyLanguage, COMMAND_LANGUAGE_NAMES } from './attributes';
export { checkRunbook, looksDestructive } from './checks';
export { commandsFor, platformCoverage, blockPlatforms, runsOn, toRunbookPlatform, type PlatformCommands } from './platform';
export {
  CONTEXT_VARIABLES,
  substituteVariables,
  quoteForShell,
  findVariableReferences,
  promptDeclarations,
  prepareCommand,
  variablesFor,
  variablesToPrompt,
  firebreakVariableNames,
  type PromptDeclaration,
  type PreparedCommand,
  type VariableRequirement,
} from './variables';
export {
  loadRunbooks,
  lintRunbooks,
  expandPaths,
  formatDiagnostic,
  hasErrors,
  findBundledRunbooksDir,
  runbooksFor,
  type LoadOptions,
  type LoadResult,
  type LintResult,
  type RunbookFileReport,
  type RunbookSuggestion,
} from './loader';
export { splitVariantFiles, withVariantBases, variantSuffix, languageOfFile, pickVariant, checkVariantDrift, checkVariants, DEFAULT_RUNBOOK_LANGUAGE, type VariantFile } from './variants';
export { RunbookCatalog, findStep, runAllPlan, isUnattended, type RunAllItem } from './catalog';
