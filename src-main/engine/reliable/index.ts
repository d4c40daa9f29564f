export { PIPELINE_NAME, runReliable, STAGES } from './pipeline.js'
export { isRunId, planResume } from './resume.js'
export type { StageCounts, StageDefinition, StageName } from './stage.js'
