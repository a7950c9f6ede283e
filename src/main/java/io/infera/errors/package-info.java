/**
 * The failures a request can meet, as a sealed hierarchy of exceptions with client-readable
 * messages. Imports nothing of Infera.
 */
package io.infera.errors;
