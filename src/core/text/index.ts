export { escapeControl, type EscapeControlOptions } from './escape-control';
