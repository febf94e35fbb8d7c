import type { enTargets } from './en-targets';
import type { DeepStrings } from './types';

// リモートターゲット(en-targets.ts と同じキー)。
export const jaTargets: DeepStrings<typeof enTargets> = {
  targets: {
    screen: 'ターゲット',
    title: 'リモートターゲット',
    intro: 'いつもの ssh で接続できるホスト: ~/.ssh/config のエイリアス、または user@host[:port]。ssh の設定・エージェント・known_hosts をそのまま使い、パスワードや鍵は保存しません。',
    addLabel: 'ssh エイリアスまたは user@host[:port]',
    addPlaceholder: 'web-1 または deploy@10.0.0.5:2222',
    add: 'ターゲットを追加',
    empty: 'ターゲットはまだありません。',
    connect: '接続',
    remove: '削除',
    removeConfirm: '削除する',
    cancel: 'キャンセル',
    retryAt: '次回試行 {{time}}',
    state: {
      idle: '未接続',
      connecting: '認証中…',
      connected: '接続済み',
      'auth-required': '{{since}} から認証が必要',
      'host-key-unknown': '未知のホスト鍵',
      'host-key-changed': 'ホスト鍵が変更されています — 接続を拒否',
      unreachable: '{{since}} から到達不能',
    },
    hostKey: {
      unknown: '{{host}} は known_hosts にありません。受け入れる前に、サーバー管理者から伝えられたフィンガープリントと照合してください。',
      compare: 'フィンガープリントを受け入れるまで何も信頼しません。受け入れると known_hosts に書き込まれます。',
      accept: 'この鍵を受け入れる',
      changed:
        '{{name}} のホスト鍵が known_hosts のものと一致しません。通信が傍受されている可能性があります。Firebreak は接続を拒否します。サーバーを本当に再構築した場合は、先にターミナルで known_hosts を修正してください(ssh-keygen -R)。',
    },
    authHint: '鍵またはエージェントが拒否されたか、パスワードやハードウェアキーが必要です。インシデントで「{{name}} のターミナル」を開いて一度認証すると、収集はその接続を再利用します。',
    source: '表示',
    thisLaptop: 'このノートPC',
    gaugesWaiting: '{{name}} からの最初の計測を待っています…',
    noProcesses: 'ターゲットのプロセス一覧はサンプリングしません。証拠タブからスナップショットを取得してください。',
    tab: 'ターゲット',
    affected: '影響を受けるターゲット',
    affectedNone: 'このインシデントにターゲットはありません。',
    choose: 'ターゲットを選択…',
    addToIncident: 'インシデントに追加',
    noneInProfile: '先にターゲット画面でターゲットを追加してください。',
    collectFrom: '{{name}} から収集',
    snapshot: 'システムスナップショット',
    paths: 'ファイルまたはグロブ(絶対パス、1 行に 1 つ)',
    tail: '末尾の行数',
    grep: '一致する行',
    collectFiles: '{{name}} からファイルを収集',
    terminalOn: '{{name}} のターミナル',
  },
};
