export {
  EXPORT_FORMATS,
  EXPORT_MEDIA_TYPES,
  type ExportFormat,
  type ExportJobPayload,
  exportDownloadName,
  exportFilePath,
  exportJobPayload,
  JSON_EXPORT_FORMAT,
  JSON_EXPORT_VERSION,
} from './export-job.js';
