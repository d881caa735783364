import { render } from 'preact';
import '../ui/theme.css';
import './popup.css';
import { setupPage } from '../ui/page';
import { Popup } from './Popup';

setupPage('popupTitle');
render(<Popup />, document.getElementById('app')!);
