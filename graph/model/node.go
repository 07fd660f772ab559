package model

// Node is any object with a global ID. The domain types that implement the schema's
// Node interface know nothing of GraphQL, so this interface asks nothing of them;
// the generated code tells the concrete types apart by their Go type.
type Node interface{}
