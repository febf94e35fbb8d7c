import type { enClosing } from './en-closing';
import type { DeepStrings } from './types';

// 解決・クローズ前の確認(en-closing.ts と同じキー)。
export const jaClosing: DeepStrings<typeof enClosing> = {
  closing: {
    title: 'まだ「{{action}}」できる状態ではありません',
    intro: 'このインシデントに足りないもの:',
    gap: {
      responder: '対応者が未設定',
      rootCause: '根本原因が未記入(「Root cause:」で始まるメモを追加)',
      pendingSteps_one: '未完了のランブック手順 {{count}} 件',
      pendingSteps_other: '未完了のランブック手順 {{count}} 件',
      runningCommands_one: '実行中のコマンド {{count}} 件',
      runningCommands_other: '実行中のコマンド {{count}} 件',
      openTerminals_one: '開いているターミナル {{count}} 件 — クローズすると終了します',
      openTerminals_other: '開いているターミナル {{count}} 件 — クローズすると終了します',
      postmortem: 'ポストモーテム項目が未記入(「Resolution:」「Prevention:」「Lessons:」で始まるメモ)',
    },
    field: { resolution: '対応内容', prevention: '再発防止策', lessons: '教訓' },
    more: '… ほか {{count}} 件',
    reason: 'それでも進める理由は?',
    goAhead: '理由を記録して進める',
    despite: '(不足 {{count}} 件のまま実施: {{gaps}})',
    back: '戻る',
  },
};
