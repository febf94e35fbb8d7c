import type { DeepStrings } from './types';
import type { enProbeErrors } from './en-probe-errors';

// プローブのエラー表示(en-probe-errors.ts と同じキー)。
export const jaProbeErrors: DeepStrings<typeof enProbeErrors> = {
  probeErrors: {
    circuitOpen: '{{count}} 回続けて失敗したため一時停止中。次回の試行 {{time}}',
    refused: '接続を拒否されました({{detail}})',
    timeout: '{{ms}} ms 以内に応答がありません',
    timeoutPlain: 'タイムアウトしました',
    notFound: 'ホスト名を解決できません({{detail}})',
    reset: 'サーバーが接続を切断しました',
    unreachable: 'ネットワークに到達できません({{detail}})',
    auth: '認証に失敗しました: {{detail}}',
    noSecret: 'パスワード「{{name}}」が設定されていません',
    http: 'HTTP {{status}}{{expected}}',
    httpExpected: '(期待値 {{list}})',
    healthStatus: 'ヘルス状態「{{status}}」',
    missingText: '応答に {{text}} が含まれていません',
    notBolt: 'HTTP のポートです。Bolt ではありません(Bolt は通常 7687)',
    unreachableReason: '到達不能',
    breakerReason: '失敗が続いたため一時停止',
  },
};
