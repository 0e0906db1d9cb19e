-- A synthetic office on a PostgreSQL server for the search measures of
-- docs/PERFORMANCE.md ("Search on a server", issue 21): :n register rows
-- over ten years in 3 235 rooms, two changes each in the history, :n/12
-- shopping entries; loaded set-wise with the search triggers off, then the
-- search tables filled as migrations 15, 19, 23, 24 and 26 fill them. On a database
-- HomeDesk has migrated (Store::open_server, or `homedesk --db URL init`), empty:
--   psql URL -v n=500000 -f benches/pg_search_office.sql && psql URL -c "VACUUM ANALYZE"
\set ON_ERROR_STOP on
SET synchronous_commit = off;
ALTER TABLE requests DISABLE TRIGGER USER;
ALTER TABLE requests_search DISABLE TRIGGER USER;
ALTER TABLE history_search DISABLE TRIGGER USER;
ALTER TABLE history_labels DISABLE TRIGGER USER;
ALTER TABLE shopping_entries DISABLE TRIGGER USER;
INSERT INTO staff (name, grp, rank) VALUES ('王经理', 'office', 'manager');
CREATE TEMP TABLE words (k int, surname text, given text, svc text, detail text);
INSERT INTO words SELECT i,
  (ARRAY['王','李','张','刘','陈','杨','黄','赵','吴','周','徐','孙','马','朱','胡','郭','何','高','林','罗'])[1 + i % 20],
  (ARRAY['建国','秀英','桂兰','志强','丽华','明','军','静','伟','芳','敏','磊','洋','艳','勇','杰','娟','涛','超','霞'])[1 + (i * 7) % 20],
  (ARRAY['日常保洁','深度保洁','油烟机清洗','空调清洗','开荒保洁','水管维修','电路维修','门锁维修','家电维修','烟感报警'])[1 + i % 10],
  (ARRAY['厨房水管漏水，需要更换阀门','客厅灯不亮，更换灯泡','全屋保洁，重点厨房卫生间','油烟机清洗，住户自备清洁剂',
         '空调不制冷，清洗滤网','卫生间下水道堵塞','阳台推拉门卡住','热水器不出热水','窗户玻璃擦洗','地板打蜡保养',
         '烟感误报，检查探头','门锁反锁打不开','插座跳闸','马桶漏水更换配件','墙面渗水检查','冰箱不制冷',
         '洗衣机排水慢','窗帘清洗','沙发除螨','老人房间每周保洁'])[1 + i % 20]
FROM generate_series(0, 999) i;
INSERT INTO requests (kind, year, seq, received_at, received_by_id, received_by, desk, room, resident_name, phone,
    service, details, appointment, status, notes)
SELECT kind, year, g, to_char(at, 'YYYY-MM-DD HH24:MI:SS'), 1, '王经理', 'cs',
    (1 + h % 20) || '栋' || (1 + h / 20 % 4) || '单元' || (1 + h / 80 % 30) || '0' || (1 + h % 4),
    w.surname || w.given, '13' || lpad(((h::bigint * 7919 + g % 3) % 1000000000)::text, 9, '0'),
    w.svc, w.detail, to_char(at + interval '1 day', 'YYYY-MM-DD HH24:MI:SS'), 'settled',
    CASE WHEN g % 7 = 0 THEN '住户不在家，改约' ELSE '' END
FROM (SELECT g, (g * 2654435761) % 3235 AS h,
        CASE WHEN g % 20 < 11 THEN 'housekeeping' WHEN g % 20 < 18 THEN 'repair' ELSE 'alarm' END AS kind,
        timestamp '2017-01-01' + (g::float / :n) * interval '3650 days' AS at
      FROM generate_series(1, :n) g) s
JOIN words w ON w.k = (s.g * 31 + s.h) % 1000
CROSS JOIN LATERAL (SELECT extract(year FROM s.at)::bigint AS year) y;
INSERT INTO requests_search (id, kind, terms) SELECT r.id, r.kind, request_terms(r) FROM requests r;
INSERT INTO requests_term_ids (term, kind, id)
    SELECT k, s.kind, s.id FROM requests_search s CROSS JOIN LATERAL term_keys(s.terms) AS k;
INSERT INTO requests_term_counts (term, kind, n) SELECT term, kind, count(*) FROM requests_term_ids GROUP BY term, kind;
INSERT INTO requests_triple_at (term, kind, id, pos)
    SELECT t.term, s.kind, s.id, t.pos FROM requests_search s CROSS JOIN LATERAL term_triples_at(s.terms) AS t;
-- two changes a row: its creation (its terms) and its closing (its number and who);
-- after what `init` wrote, if it ran (the history's ids were given by it)
SELECT setval(pg_get_serial_sequence('history', 'id'), coalesce((SELECT max(id) FROM history), 0) + 1, false);
INSERT INTO history (at, user_id, user_name, entity, entity_id, action, changes)
SELECT r.received_at, 1, '王经理', 'request', r.id, a.action,
    CASE a.action WHEN 'create' THEN json_build_array(json_build_object('field','details','old','','new',r.details))::text
    ELSE '[{"field":"status","old":"open","new":"closed"}]' END
FROM requests r CROSS JOIN (VALUES ('create'), ('update')) AS a(action) ORDER BY r.id, a.action;
INSERT INTO history_labels (history_id, record, refs, about)
    SELECT h.id, running_number(r.kind, r.year, r.seq), '[]', '' FROM history h JOIN requests r ON r.id = h.entity_id AND h.entity = 'request';
INSERT INTO history_search (history_id, terms)
    SELECT h.id, CASE h.action WHEN 'create' THEN s.terms
        ELSE string_to_array(rtrim(search_terms(running_number(r.kind, r.year, r.seq), '王经理')), ' ') END
    FROM history h JOIN requests r ON r.id = h.entity_id AND h.entity = 'request' JOIN requests_search s ON s.id = r.id;
INSERT INTO history_term_ids (term, id)
    SELECT k, s.history_id FROM history_search s CROSS JOIN LATERAL term_keys(s.terms) AS k
    ON CONFLICT DO NOTHING; -- init's changes, indexed as it wrote them
INSERT INTO shopping_entries (no, state, room, resident_name, item, brand, kind, quantity, spec,
    unit_price_fen, expected_total_fen, deadline, taken_by, taken_at)
SELECT g, 'settled', r.room, r.resident_name,
    (ARRAY['牛奶','大米','鸡蛋','食用油','卫生纸','洗衣液','面条','酱油','苹果','矿泉水'])[1 + g % 10],
    (ARRAY['伊利','五常','蒙牛','金龙鱼','维达','立白','鲁花','海天','红富士','农夫山泉'])[1 + g * 3 % 10],
    '日用', 1, '1件', 1000, 1000, substr(r.received_at, 1, 10), '王经理', r.received_at
FROM generate_series(1, :n / 12) g JOIN requests r ON r.id = g * 12;
INSERT INTO shopping_term_ids (term, id)
    SELECT k, e.id FROM shopping_entries e CROSS JOIN LATERAL term_keys(shopping_terms(e)) AS k;
ALTER TABLE requests ENABLE TRIGGER USER;
ALTER TABLE requests_search ENABLE TRIGGER USER;
ALTER TABLE history_search ENABLE TRIGGER USER;
ALTER TABLE history_labels ENABLE TRIGGER USER;
ALTER TABLE shopping_entries ENABLE TRIGGER USER;
