/** Chat templates, model tokenizers and the trainer's view of a record. The only way into this area from src/cli, src/extension and src/protocol. */
export { loadModelFolder, type ChatModel } from './modelFiles';
export { ChatTemplateRenderer, type Rendered, type Span } from './render';
export { trainerView, chatMessages, type TrainerView, type TrainerViewOptions, type ViewSegment } from './trainerView';
export { isTrainOnEos, lossSpans, TemplateError, type LossOptions, type TrainOnEos } from './lossSpans';
export { preflightFile, histogram, type PreflightIssue, type PreflightOptions, type PreflightReport } from './preflight';
export { recordTrainerViews, type ConversationView, type ViewPiece } from './recordView';
export { conversations } from './conversations';
export { parseHubReference, isCommitSha, type HubReference } from './hubReference';
export { fetchHubModel, resolveModelReference, HubModelError, HUB_MODEL_FILES, DEFAULT_HUB_URL, type HubErrorKind, type HubFetchOptions, type HubModelFolder, type ResolvedModel } from './hubModel';
