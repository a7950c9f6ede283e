/**
 * Version routing: which of a model's served versions answers a request (a weighted split, stable
 * per routing key; a pin bypasses it), which version sees a copy of it (shadow), and the lane that
 * runs those copies behind the primary work. Knows versions by name only. May import errors.
 */
package io.infera.routing;
