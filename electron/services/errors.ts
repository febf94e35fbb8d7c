import type { ErrorCode } from '../../shared/domain';

/** An error meant for the user: its code and message cross the boundary as they are. */
export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export const notFound = (what: string) => new ServiceError('not_found', `${what} does not exist`);
export const conflict = (message: string) => new ServiceError('conflict', message);
export const invalidInput = (field: string, message: string) => new ServiceError('invalid_input', `${field}: ${message}`);
