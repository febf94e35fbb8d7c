import type { RiskInput } from '../../../shared/risks';

// Seed 000's seven risks (特定されたリスクと対策), the starting register. The rules implement
// each 早期警告 where a metric exists: 接続失敗率 > 5 % is bound to the API error rate and any
// probe down, because seed 000's own metrics have no connection-failure counter (remap it in
// risks.yaml); integrity, auth, CI and review-time warnings have no metric here and are
// checked by the weekly review until the user binds them.

export const SEED_RISKS: readonly RiskInput[] = [
  {
    id: 'R1',
    title: { en: 'API response time degradation', ja: 'API応答時間遅延' },
    category: 'technical',
    impact: 4,
    probability: 3,
    description: {
      en: 'Increasingly complex database queries push API response time past the 500 ms target.',
      ja: 'データベースクエリの複雑化により、API応答時間が目標値（500ms）を超過',
    },
    effect: { en: 'Worse user experience, lower system performance', ja: 'ユーザー体験の悪化、システムパフォーマンス低下' },
    indicators: [
      { en: 'API response time', ja: 'API応答時間' },
      { en: 'Database query time', ja: 'データベースクエリ時間' },
    ],
    warning: { text: { en: 'Alert when response time exceeds 400 ms', ja: '応答時間が400msを超えた場合にアラート' }, rules: [{ indicator: 'response_time_p95', op: '>', value: 400 }] },
    mitigations: [
      { en: 'Optimise queries (Neo4j indexes)', ja: 'クエリ最適化（Neo4jクエリのインデックス活用）' },
      { en: 'Cache results (TTL 300 s)', ja: 'キャッシュ戦略実装（ttl=300）' },
      { en: 'Fetch in parallel (asyncio.gather)', ja: '非同期処理の活用' },
    ],
    runbooks: ['severe-performance-degradation', 'minor-performance-issue'],
  },
  {
    id: 'R2',
    title: { en: 'Database connection errors', ja: 'データベース接続エラー' },
    category: 'technical',
    impact: 5,
    probability: 2,
    description: { en: 'Connections to Neo4j, ChromaDB and Redis become unstable.', ja: 'Neo4j、ChromaDB、Redisへの接続が不安定になる' },
    effect: { en: 'Whole system down, no data access', ja: 'システム全体の停止、データアクセス不可' },
    indicators: [
      { en: 'Connection success rate', ja: '接続成功率' },
      { en: 'Connection pool use', ja: '接続プール使用率' },
    ],
    warning: {
      text: { en: 'When the connection failure rate exceeds 5 %', ja: '接続失敗率が5%を超えた場合' },
      rules: [
        { indicator: 'error_rate', op: '>', value: 5 },
        { probe: '*', state: 'down' },
      ],
    },
    mitigations: [
      { en: 'Connection pool management with retries and backoff', ja: '接続プール管理（リトライと指数バックオフ）' },
      { en: 'Detailed health check (/health/detailed)', ja: 'ヘルスチェック機能（/health/detailed）' },
      { en: 'Circuit breaker (5 failures, 60 s)', ja: 'サーキットブレーカーパターン' },
    ],
    runbooks: ['database-connection-errors'],
  },
  {
    id: 'R3',
    title: { en: 'Growing memory use', ja: 'メモリ使用量増大' },
    category: 'technical',
    impact: 3,
    probability: 4,
    description: { en: 'Vector embedding and caches grow memory use.', ja: 'ベクトル埋め込み処理やキャッシュによりメモリ使用量が増大' },
    effect: { en: 'Lower performance, OOM errors', ja: 'システムパフォーマンス低下、OOMエラー' },
    indicators: [
      { en: 'Memory use', ja: 'メモリ使用率' },
      { en: 'GC performance', ja: 'GCパフォーマンス' },
    ],
    warning: { text: { en: 'When memory use exceeds 80 %', ja: 'メモリ使用率が80%を超えた場合' }, rules: [{ gauge: 'memory', op: '>', value: 80 }] },
    mitigations: [
      { en: 'Batch embedding with explicit release', ja: 'メモリ効率的な埋め込み処理' },
      { en: 'Limit cache size (Redis maxmemory 1gb, allkeys-lru)', ja: 'キャッシュサイズ制限（maxmemory 1gb、allkeys-lru）' },
      { en: 'Monitor memory', ja: 'メモリ監視' },
    ],
    runbooks: ['severe-performance-degradation'],
  },
  {
    id: 'R4',
    title: { en: 'ChromaDB–Neo4j sync errors', ja: 'ChromaDB-Neo4j同期エラー' },
    category: 'integration',
    impact: 4,
    probability: 3,
    description: { en: 'Data consistency between the vector and graph databases breaks.', ja: 'ベクトルデータベースとグラフデータベース間のデータ整合性問題' },
    effect: { en: 'Inconsistent search results, less reliable data', ja: '検索結果の不整合、データの信頼性低下' },
    indicators: [
      { en: 'Data consistency rate', ja: 'データ整合性率' },
      { en: 'Sync error count', ja: '同期エラー数' },
    ],
    warning: { text: { en: 'When a data inconsistency is detected', ja: 'データ不整合が検出された場合' }, rules: [] },
    mitigations: [
      { en: 'Transactions spanning both stores', ja: 'トランザクション管理' },
      { en: 'Consistency check (counts compared)', ja: 'データ整合性チェック' },
      { en: 'Scheduled check every 30 minutes', ja: '定期的な整合性チェック（30分毎）' },
    ],
    runbooks: ['data-loss-restore'],
  },
  {
    id: 'R5',
    title: { en: 'Authentication system failure', ja: '認証システム障害' },
    category: 'integration',
    impact: 5,
    probability: 2,
    description: { en: 'A JWT authentication failure makes the API unreachable.', ja: 'JWT認証システムの障害によりAPIアクセスが不可能' },
    effect: { en: 'No access to the system, business stops', ja: 'システム全体へのアクセス不可、業務停止' },
    indicators: [
      { en: 'Authentication success rate', ja: '認証成功率' },
      { en: 'Token verification time', ja: 'トークン検証時間' },
    ],
    warning: { text: { en: 'When the authentication failure rate exceeds 10 %', ja: '認証失敗率が10%を超えた場合' }, rules: [] },
    mitigations: [
      { en: 'Redundant authentication (backup authenticator)', ja: '冗長化された認証サービス' },
      { en: 'Emergency access (read:basic only)', ja: '緊急時アクセス機能' },
      { en: 'Monitor authentication health', ja: '認証状態監視' },
    ],
    runbooks: ['security-incident'],
  },
  {
    id: 'R6',
    title: { en: 'CI/CD pipeline failure', ja: 'CI/CDパイプライン障害' },
    category: 'operations',
    impact: 3,
    probability: 3,
    description: { en: 'A GitHub Actions outage stops automated tests and deploys.', ja: 'GitHub Actionsの障害により自動テスト・デプロイが停止' },
    effect: { en: 'Slower development, quality assurance interrupted', ja: '開発速度の低下、品質保証プロセスの中断' },
    indicators: [
      { en: 'CI success rate', ja: 'CI成功率' },
      { en: 'Build time', ja: 'ビルド時間' },
    ],
    warning: { text: { en: 'When the CI failure rate exceeds 20 %', ja: 'CI失敗率が20%を超えた場合' }, rules: [] },
    mitigations: [
      { en: 'CI on several environments (matrix)', ja: '複数環境でのCI実行' },
      { en: 'Fallback test run with reduced scope', ja: 'フォールバック戦略' },
      { en: 'Manual deployment procedure (docs/MANUAL_DEPLOYMENT.md)', ja: '手動デプロイ手順書' },
    ],
    runbooks: ['rollback'],
  },
  {
    id: 'R7',
    title: { en: 'Poor coordination between teams', ja: '開発チーム間の連携不足' },
    category: 'operations',
    impact: 2,
    probability: 4,
    description: { en: 'Different understandings of API design or data models cause problems at integration.', ja: 'API設計やデータモデルの認識齟齬により統合時に問題発生' },
    effect: { en: 'Integration delays, extra rework', ja: '統合作業の遅延、追加修正作業' },
    indicators: [
      { en: 'PR review time', ja: 'PR レビュー時間' },
      { en: 'Integration test success rate', ja: '統合テスト成功率' },
    ],
    warning: { text: { en: 'When reviews wait more than 24 hours', ja: 'レビュー待ち時間が24時間を超えた場合' }, rules: [] },
    mitigations: [
      { en: 'Regular reviews (weekly on Friday, API design, every PR)', ja: '定期的なレビュー会議' },
      { en: 'Document management (generated API specs, change history)', ja: 'ドキュメント管理' },
      { en: 'Communication tools (Slack, GitHub Issues, Confluence)', ja: 'コミュニケーションツール' },
    ],
    runbooks: [],
  },
];
