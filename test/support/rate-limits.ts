import { DEFAULT_RATE_LIMITS, type RateLimitsConfig } from '#platform';

/**
 * The default abuse limits with some of them changed, for a suite whose traffic legitimately
 * exceeds a default: many visitors on one machine share its one address, say.
 */
export const rateLimitsWith = (
  limits: Partial<RateLimitsConfig['limits']>,
  changes: Partial<Omit<RateLimitsConfig, 'limits'>> = {},
): RateLimitsConfig => ({ ...DEFAULT_RATE_LIMITS, ...changes, limits: { ...DEFAULT_RATE_LIMITS.limits, ...limits } });
