import { render } from 'preact';
import '../ui/theme.css';
import './popup.css';
import { setupPage } from '../ui/page';
import { Popup } from './Popup';

void setupPage('popupTitle', () => render(<Popup />, document.getElementById('app')!));
