package tsunagu

// Typed identifiers keep one kind of object's ID from being passed where another's is
// expected. In the database they are bigint identity columns; the API shows them as
// opaque global IDs (see package graph).
type (
	MunicipalityID int64
	FacilityID     int64
	ProductID      int64
	LocationID     int64
	UserID         int64
	TransferID     int64
	MovementID     int64
	StocktakeID    int64
	AdjustmentID   int64
	RegisterID     int64
	SessionID      int64
	SaleID         int64
	RefundID       int64
)

// Online orders.
type (
	OrderID       int64
	OrderRefundID int64
)
