export {
  EXPORT_FORMATS,
  EXPORT_MEDIA_TYPES,
  type ExportFormat,
  type ExportJobPayload,
  exportDownloadName,
  exportFilePath,
  exportJobPayload,
} from './export-job.js';
