/**
 * The server configuration (infera.* properties) as typed interfaces with their defaults. Imports
 * nothing of Infera.
 */
package io.infera.config;
