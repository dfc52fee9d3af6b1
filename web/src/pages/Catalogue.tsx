import { useMemo, useState } from 'react';
import { Input, Segmented, Space, Tag } from 'antd';
import { Title } from '../components/ui';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { TemplatesQuery } from '../api/documents';
import { EmptyBlock, ErrorBlock, LoadingBlock } from '../components/States';

export default function Catalogue() {
  const { t } = useTranslation();
  const [res, refetch] = useQuery({ query: TemplatesQuery, variables: {} });
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState<string>('__all');
  const templates = useMemo(() => res.data?.templates.nodes.filter((x) => x.active) ?? [], [res.data]);
  const categories = useMemo(() => [...new Set(templates.map((x) => x.category))].sort(), [templates]);
  const q = search.trim().toLowerCase();
  const shown = templates.filter(
    (x) =>
      (category === '__all' || x.category === category) &&
      (!q || x.name.toLowerCase().includes(q) || x.code.toLowerCase().includes(q) || x.description.toLowerCase().includes(q)),
  );
  const grouped = new Map<string, typeof shown>();
  for (const x of shown) grouped.set(x.category, [...(grouped.get(x.category) ?? []), x]);
  return (
    <div className="page">
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <Title level={3} style={{ margin: 0 }}>
          {t('catalogue.title')}
        </Title>
        <Space wrap>
          <Input.Search
            allowClear
            placeholder={t('catalogue.search')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            style={{ width: 320 }}
            aria-label={t('catalogue.search')}
          />
          <Segmented
            value={category}
            onChange={(v) => setCategory(String(v))}
            options={[{ value: '__all', label: t('catalogue.all') }, ...categories.map((c) => ({ value: c, label: c }))]}
          />
        </Space>
        {res.fetching && !res.data ? (
          <LoadingBlock />
        ) : res.error && !res.data ? (
          <ErrorBlock error={res.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
        ) : shown.length === 0 ? (
          <EmptyBlock text={t('catalogue.none')} />
        ) : (
          [...grouped.entries()].map(([cat, list]) => (
            <div key={cat}>
              <Title level={5}>{cat}</Title>
              <div className="grid">
                {list.map((tpl) => (
                  <Link key={tpl.code} to={`/new/${tpl.code}`} className="tile" data-testid={`start-${tpl.code}`}>
                    <div className="tile-title">
                      <span>{tpl.name}</span>
                      <Tag>{tpl.code}</Tag>
                    </div>
                    <div className="tile-desc">{tpl.description || '—'}</div>
                    <span style={{ color: "#1f6feb" }}>{t('catalogue.start')} →</span>
                  </Link>
                ))}
              </div>
            </div>
          ))
        )}
      </Space>
    </div>
  );
}
