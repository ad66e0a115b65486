import { IsDefined, ValidateIf } from 'class-validator';

/**
 * For an optional input field whose column is NOT NULL (use it instead of `@IsOptional()`): it may be left
 * out, keeping the stored value, but not set to null. GraphQL cannot say so: a nullable input field takes both.
 */
export function OptionalNotNull(): PropertyDecorator {
  return (target, property) => {
    ValidateIf((input: Record<string | symbol, unknown>) => input[property] !== undefined)(target, property);
    IsDefined({ message: 'must not be null (leave it out to keep the current value)' })(target, property);
  };
}
