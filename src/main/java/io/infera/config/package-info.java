/**
 * The server configuration (infera.* properties) as typed interfaces with their defaults, which
 * are the standard defaults every process shares (registry.StandardDefaults). Imports nothing
 * else of Infera.
 */
package io.infera.config;
