// Package model holds the API's own types: connections, edges and payloads that gqlgen
// generates, and the few inputs that have no domain type.
package model
