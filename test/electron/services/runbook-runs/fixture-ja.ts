import { TEST_RUNBOOK } from './fixture';

/** The drill in Japanese: same ids, commands and marks; only the prose differs. */
export const TEST_RUNBOOK_JA = TEST_RUNBOOK.replace('title: Drill', 'title: 訓練')
  .replace('# Drill', '# 訓練')
  .replace('## Check', '## 確認 {#check}')
  .replace('## Fix', '## 修正 {#fix}')
  .replace('Say hello {#hello}', 'あいさつする {#hello}')
  .replace('Prints a greeting.', 'あいさつを表示します。')
  .replace('Look at the target {#target}', '対象を確認する {#target}')
  .replace('Fail on purpose {#fails}', 'わざと失敗する {#fails}')
  .replace('Never reached {#after}', '到達しない {#after}')
  .replace('Restart it {#restart}', '再起動する {#restart}')
  .replace('Write it down {#write}', '記録する {#write}')
  .replace('Nothing to run here.', 'ここで実行するものはありません。');
