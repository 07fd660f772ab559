package graph

import (
	"context"

	"tsunagu/graph/gid"
	"tsunagu/graph/model"
	"tsunagu/internal/tsunagu"
)

// Helpers of the point-of-sale resolvers.

func saleConnection(p *tsunagu.Page[*tsunagu.Sale]) *model.SaleConnection {
	return connection(p, func(s *tsunagu.Sale) int64 { return int64(s.ID) },
		func(c string, n *tsunagu.Sale) *model.SaleEdge { return &model.SaleEdge{Cursor: c, Node: n} },
		func(e []*model.SaleEdge, i *model.PageInfo) *model.SaleConnection {
			return &model.SaleConnection{Edges: e, PageInfo: i}
		})
}

func (r *Resolver) registers(ctx context.Context, shopID *string) ([]*tsunagu.Register, error) {
	var shop *tsunagu.LocationID
	if shopID != nil {
		id, err := gid.DecodeKind(*shopID, gid.KindLocation)
		if err != nil {
			return nil, err
		}
		l := tsunagu.LocationID(id)
		shop = &l
	}
	rs, err := r.POS.Registers(ctx, shop)
	if err != nil {
		return nil, err
	}
	return rs, primeAt(ctx, rs, (*primer).register)
}

func (r *Resolver) sales(ctx context.Context, f *tsunagu.SaleFilter, first *int, after *string) (*model.SaleConnection, error) {
	page, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	p, err := r.POS.Sales(ctx, deref(f), page)
	if err != nil {
		return nil, err
	}
	if err := primeAt(ctx, p.Items, (*primer).sale, pageNode...); err != nil {
		return nil, err
	}
	return saleConnection(p), nil
}

// registerSession resolves registerSession(id:): null when the ID is malformed,
// unknown or not visible.
func (r *Resolver) registerSession(ctx context.Context, id string) (*tsunagu.RegisterSession, error) {
	n, err := gid.DecodeKind(id, gid.KindSession)
	if err != nil {
		return nil, nil
	}
	s, err := loadVisible(ctx, &loadersFrom(ctx).session, tsunagu.SessionID(n))
	if err != nil {
		return nil, err
	}
	return primed(ctx, s, (*primer).session)
}

// sale resolves sale(id:): null when the ID is malformed, unknown or not visible.
func (r *Resolver) sale(ctx context.Context, id string) (*tsunagu.Sale, error) {
	n, err := gid.DecodeKind(id, gid.KindSale)
	if err != nil {
		return nil, nil
	}
	s, err := loadVisible(ctx, &loadersFrom(ctx).sale, tsunagu.SaleID(n))
	if err != nil {
		return nil, err
	}
	return primed(ctx, s, (*primer).sale)
}

func (r *Resolver) saleByReceiptNumber(ctx context.Context, shopID string, number int) (*tsunagu.Sale, error) {
	shop, err := gid.DecodeKind(shopID, gid.KindLocation)
	if err != nil {
		return nil, nil
	}
	s, err := r.POS.SaleByReceiptNumber(ctx, tsunagu.LocationID(shop), int64(number))
	if tsunagu.ErrorCode(err) == tsunagu.CodeNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return primed(ctx, s, (*primer).sale)
}

// receipt loads the receipt of a sale, or with refund set of that refund.
func receipt(ctx context.Context, sale tsunagu.SaleID, refund tsunagu.RefundID) (*tsunagu.Receipt, error) {
	return load(ctx, &loadersFrom(ctx).receipt, tsunagu.ReceiptKey{Sale: sale, Refund: refund}, "receipt")
}

// receiptText renders the receipt of a sale, or of one of its refunds, for a printer
// of width mm paper (58 by default).
func (r *Resolver) receiptText(ctx context.Context, sale tsunagu.SaleID, refund tsunagu.RefundID, width *int) (string, error) {
	rc, err := receipt(ctx, sale, refund)
	if err != nil {
		return "", err
	}
	w := 58
	if width != nil {
		w = *width
	}
	return rc.Text(w)
}

func shopPayload(ctx context.Context, s *tsunagu.Shop, err error) (*model.ShopPayload, error) {
	errs, err := primedPayload(ctx, s, err, (*primer).shop, "shop")
	if err != nil || len(errs) > 0 {
		return &model.ShopPayload{UserErrors: errs}, err
	}
	return &model.ShopPayload{Shop: s, UserErrors: errs}, nil
}

func registerPayload(ctx context.Context, reg *tsunagu.Register, err error) (*model.RegisterPayload, error) {
	errs, err := primedPayload(ctx, reg, err, (*primer).register, "register")
	if err != nil || len(errs) > 0 {
		return &model.RegisterPayload{UserErrors: errs}, err
	}
	return &model.RegisterPayload{Register: reg, UserErrors: errs}, nil
}

func sessionPayload(ctx context.Context, s *tsunagu.RegisterSession, err error) (*model.RegisterSessionPayload, error) {
	errs, err := primedPayload(ctx, s, err, (*primer).session, "session")
	if err != nil || len(errs) > 0 {
		return &model.RegisterSessionPayload{UserErrors: errs}, err
	}
	return &model.RegisterSessionPayload{Session: s, UserErrors: errs}, nil
}

func cashMovementPayload(ctx context.Context, m *tsunagu.CashMovement, err error) (*model.CashMovementPayload, error) {
	errs, err := primedPayload(ctx, m, err, (*primer).cashMovement, "cashMovement")
	if err != nil || len(errs) > 0 {
		return &model.CashMovementPayload{UserErrors: errs}, err
	}
	return &model.CashMovementPayload{CashMovement: m, UserErrors: errs}, nil
}

func salePayload(ctx context.Context, s *tsunagu.Sale, err error) (*model.SalePayload, error) {
	errs, err := primedPayload(ctx, s, err, (*primer).sale, "sale")
	if err != nil || len(errs) > 0 {
		return &model.SalePayload{UserErrors: errs}, err
	}
	return &model.SalePayload{Sale: s, UserErrors: errs}, nil
}

func refundPayload(ctx context.Context, rf *tsunagu.Refund, err error) (*model.RefundPayload, error) {
	errs, err := primedPayload(ctx, rf, err, (*primer).refund, "refund")
	if err != nil || len(errs) > 0 {
		return &model.RefundPayload{UserErrors: errs}, err
	}
	return &model.RefundPayload{Refund: rf, UserErrors: errs}, nil
}

func terminalSalePayload(ctx context.Context, ts *tsunagu.TerminalSale, err error) (*model.TerminalSalePayload, error) {
	var s *tsunagu.Sale
	if ts != nil {
		s = ts.Sale
	}
	errs, err := primedPayload(ctx, s, err, (*primer).sale, "sale")
	if err != nil || len(errs) > 0 {
		return &model.TerminalSalePayload{UserErrors: errs}, err
	}
	return &model.TerminalSalePayload{Sale: ts.Sale, PaymentIntentID: &ts.PaymentIntentID, ClientSecret: &ts.ClientSecret,
		UserErrors: errs}, nil
}
