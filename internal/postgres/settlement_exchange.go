package postgres

import (
	"context"
	"time"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

// ExchangeSales implements tsunagu.ExchangeReporter with the statements'
// own figures: the closed statements of the months summed in one statement, and
// each month's open ones computed from its ledger as Settlements computes them
// (one statement a month, settled by tsunagu.Settle with the shop's rounding), so
// that the balance says what the statements say. A report: it reads the standby
// when there is one, and writes nothing.
func (s *SettlementService) ExchangeSales(ctx context.Context, f tsunagu.ExchangeBalanceFilter) (_ []*tsunagu.ExchangeSales, err error) {
	defer wrap(&err, "SettlementService.ExchangeSales")
	muni, months, err := f.Check(tsunagu.UserFrom(ctx))
	if err != nil {
		return nil, err
	}
	ctx = LagTolerant(ctx)
	// Between two municipalities: a shop selling its own municipality's goods is
	// no part of the exchange.
	pairCond := func(a *args) string {
		cond := `f.municipality_id <> l.municipality_id`
		if muni != nil {
			m := a.add(*muni)
			cond += ` AND (f.municipality_id = ` + m + ` OR l.municipality_id = ` + m + `)`
		}
		return cond
	}
	type key struct {
		month         tsunagu.Month
		seller, owner tsunagu.MunicipalityID
	}
	sums := map[key]*tsunagu.ExchangeSales{}
	add := func(k key, figures *tsunagu.SettlementFigures) {
		e, ok := sums[k]
		if !ok {
			e = &tsunagu.ExchangeSales{Month: k.month, SellerMunicipalityID: k.seller, OwnerMunicipalityID: k.owner}
			sums[k] = e
		}
		e.Add(figures)
	}

	var a args
	first, last := a.add(months[0].Date()), a.add(months[len(months)-1].Date())
	var closed []struct {
		MonthDate time.Time
		Seller    tsunagu.MunicipalityID
		Owner     tsunagu.MunicipalityID
		tsunagu.SettlementFigures
	}
	err = s.db.q().SelectContext(ctx, &closed, `
		SELECT st.month AS month_date, l.municipality_id AS seller, f.municipality_id AS owner,
			sum(st.units_sold) AS units_sold, sum(st.units_refunded) AS units_refunded,
			sum(st.gross) AS gross, sum(st.refunds) AS refunds, sum(st.gross - st.refunds) AS net,
			sum(st.commission) AS commission, sum(st.commission_tax) AS commission_tax, sum(st.payable) AS payable
		FROM settlement_statements st
		JOIN facilities f ON f.id = st.facility_id JOIN locations l ON l.id = st.shop_id
		WHERE st.status <> 'OPEN' AND st.month BETWEEN `+first+` AND `+last+` AND `+pairCond(&a)+`
		GROUP BY 1, 2, 3`, a...)
	if err != nil {
		return nil, err
	}
	for _, c := range closed {
		add(key{tsunagu.Month{Year: c.MonthDate.Year(), Month: c.MonthDate.Month()}, c.Seller, c.Owner}, &c.SettlementFigures)
	}

	type statement struct {
		month tsunagu.Month
		settlementKey
	}
	open := map[statement][]tsunagu.SettlementPart{}
	var order []statement
	var facilities, shops []int64
	for _, m := range months {
		var b args
		lo, hi, prev, month := b.add(m.Start()), b.add(m.Next().Start()), b.add(m.Prev().Date()), b.add(m.Date())
		cond := pairCond(&b) + ` AND NOT EXISTS (SELECT 1 FROM settlement_closes c WHERE c.shop_id = l.id AND c.month = ` + month + `)`
		var parts []partRow
		if err := s.db.q().SelectContext(ctx, &parts, settlementParts(lo, openMonth(lo, hi, prev), cond), b...); err != nil {
			return nil, err
		}
		for _, p := range parts {
			k := statement{m, settlementKey{p.FacilityID, p.ShopID}}
			if _, ok := open[k]; !ok {
				order = append(order, k)
				facilities, shops = append(facilities, int64(p.FacilityID)), append(shops, int64(p.ShopID))
			}
			open[k] = append(open[k], p.SettlementPart)
		}
	}
	if len(order) > 0 {
		var sides []struct {
			FacilityID tsunagu.FacilityID
			ShopID     tsunagu.LocationID
			Owner      tsunagu.MunicipalityID
			Seller     tsunagu.MunicipalityID
			Rounding   tsunagu.Rounding
		}
		err := s.db.q().SelectContext(ctx, &sides, `
			SELECT DISTINCT k.facility_id, k.shop_id, f.municipality_id AS owner, l.municipality_id AS seller, s.rounding
			FROM unnest($1::bigint[], $2::bigint[]) AS k(facility_id, shop_id)
			JOIN facilities f ON f.id = k.facility_id JOIN locations l ON l.id = k.shop_id
			JOIN shops s ON s.location_id = k.shop_id`, pq.Array(facilities), pq.Array(shops))
		if err != nil {
			return nil, err
		}
		type side struct {
			owner, seller tsunagu.MunicipalityID
			rounding      tsunagu.Rounding
		}
		of := map[settlementKey]side{}
		for _, x := range sides {
			of[settlementKey{x.FacilityID, x.ShopID}] = side{x.Owner, x.Seller, x.Rounding}
		}
		for _, k := range order {
			x := of[k.settlementKey]
			figures := tsunagu.Settle(open[k], x.rounding)
			add(key{k.month, x.seller, x.owner}, &figures)
		}
	}
	out := make([]*tsunagu.ExchangeSales, 0, len(sums))
	for _, e := range sums {
		out = append(out, e)
	}
	return out, nil
}
