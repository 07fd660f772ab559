package graph

import (
	"context"

	"tsunagu/graph/gid"
	"tsunagu/graph/model"
	"tsunagu/internal/tsunagu"
)

// Helpers of the transfer resolvers.

func transferConnection(p *tsunagu.Page[*tsunagu.Transfer]) *model.TransferConnection {
	return connection(p, func(t *tsunagu.Transfer) int64 { return int64(t.ID) },
		func(c string, n *tsunagu.Transfer) *model.TransferEdge {
			return &model.TransferEdge{Cursor: c, Node: n}
		},
		func(e []*model.TransferEdge, i *model.PageInfo) *model.TransferConnection {
			return &model.TransferConnection{Edges: e, PageInfo: i}
		})
}

func (r *Resolver) transfers(ctx context.Context, f *tsunagu.TransferFilter, first *int, after *string) (*model.TransferConnection, error) {
	page, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	p, err := r.Transfers.Transfers(ctx, deref(f), page)
	if err != nil {
		return nil, err
	}
	if err := primeAt(ctx, p.Items, (*primer).transfer, pageNode...); err != nil {
		return nil, err
	}
	return transferConnection(p), nil
}

// transfer resolves transfer(id:): null when there is no such visible transfer.
func (r *Resolver) transfer(ctx context.Context, id string) (*tsunagu.Transfer, error) {
	n, err := gid.DecodeKind(id, gid.KindTransfer)
	if err != nil {
		return nil, nil
	}
	t, err := loadVisible(ctx, &loadersFrom(ctx).transfer, tsunagu.TransferID(n))
	if err != nil {
		return nil, err
	}
	return primed(ctx, t, (*primer).transfer)
}

func (r *Resolver) exchangeBalance(ctx context.Context, municipalityID *string, fromMonth, toMonth string) ([]*tsunagu.ExchangeBalance, error) {
	f := tsunagu.ExchangeBalanceFilter{FromMonth: fromMonth, ToMonth: toMonth}
	if municipalityID != nil {
		m, err := gid.DecodeKind(*municipalityID, gid.KindMunicipality)
		if err != nil {
			return nil, err
		}
		id := tsunagu.MunicipalityID(m)
		f.MunicipalityID = &id
	}
	sales, err := r.Settlements.ExchangeSales(ctx, f)
	if err != nil {
		return nil, err
	}
	transfers, err := r.Transfers.ExchangeTransfers(ctx, f)
	if err != nil {
		return nil, err
	}
	bs := tsunagu.CombineExchange(sales, transfers)
	return bs, primeAt(ctx, bs, (*primer).exchangeBalance)
}

func transferPayload(ctx context.Context, t *tsunagu.Transfer, err error) (*model.TransferPayload, error) {
	errs, err := primedPayload(ctx, t, err, (*primer).transfer, "transfer")
	if err != nil || len(errs) > 0 {
		return &model.TransferPayload{UserErrors: errs}, err
	}
	return &model.TransferPayload{Transfer: t, UserErrors: errs}, nil
}
