// The archive's search box, as the popup and the library show it. Every
// keystroke is a query, except while an input method composes (pinyin,
// zhuyin): those letters are not the query yet.
import { t } from '../shared/i18n';

interface Props {
  id: string;
  value: string;
  onQuery: (text: string) => void;
}

export function SearchInput({ id, value, onQuery }: Props) {
  return (
    <input
      id={id}
      type="search"
      autoFocus
      placeholder={t('popupSearchPlaceholder')}
      value={value}
      onInput={(e) => !(e as InputEvent).isComposing && onQuery(e.currentTarget.value)}
      onCompositionEnd={(e) => onQuery(e.currentTarget.value)}
    />
  );
}
